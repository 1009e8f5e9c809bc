package web

import "github.com/cambista/cambista/i18n"

// text is a label in both languages. Menus, headings, column names and
// buttons live here, beside the templates that show them; sentences with
// data (errors, confirmations) are messages of the root package, translated
// in the i18n catalog. A test checks that every label a template asks for
// is here.
type text struct{ en, es string }

func (t text) in(l i18n.Lang) string {
	if l == i18n.ES {
		return t.es
	}
	return t.en
}

// label returns the label in the language, or the key itself, bracketed, so
// that a missing label shows rather than vanishes.
func label(l i18n.Lang, key string) string {
	if t, ok := labels[key]; ok {
		return t.in(l)
	}
	return "[" + key + "]"
}

var labels = map[string]text{
	"title.dashboard": {"Dashboard", "Tablero"},
	"title.approvals": {"Approvals", "Aprobaciones"},
	"title.catalog":   {"Currencies, countries and rates", "Monedas, países y tasas"},
	"title.rates":     {"Rate history", "Historial de tasas"},
	"title.batches":   {"Batches", "Lotes"},
	"title.batch":     {"Batch", "Lote"},
	"title.queue":     {"Transfer queue", "Cola de transferencias"},
	"title.audit":     {"Audit log", "Bitácora"},
	"title.sessions":  {"Panel sessions", "Sesiones del panel"},
	"title.login":     {"Log in", "Entrar"},
	"title.error":     {"This did not work", "Esto no funcionó"},

	"nav.dashboard": {"Dashboard", "Tablero"},
	"nav.approvals": {"Approvals", "Aprobaciones"},
	"nav.catalog":   {"Currencies & rates", "Monedas y tasas"},
	"nav.batches":   {"Batches", "Lotes"},
	"nav.queue":     {"Queue", "Cola"},
	"nav.audit":     {"Audit log", "Bitácora"},
	"nav.sessions":  {"Sessions", "Sesiones"},
	"nav.logout":    {"Log out", "Salir"},

	"login.intro":     {"The cambista panel is for cashiers and superusers. Log in with the Discord account you use in the server.", "El panel de cambista es para cajeros y superusuarios. Entre con la cuenta de Discord que usa en el servidor."},
	"login.discord":   {"Log in with Discord", "Entrar con Discord"},
	"login.bootstrap": {"Setting up a new installation? Open the one-time link that cambista printed in its log at start.", "¿Está instalando cambista? Abra el enlace de un solo uso que cambista imprimió en su registro al iniciar."},
	"error.home":      {"Back to the panel", "Volver al panel"},
	"error.login":     {"Go to the login page", "Ir a la página de acceso"},

	"dash.pending_approvals": {"requests to approve", "solicitudes por aprobar"},
	"dash.pending_transfers": {"transfers waiting for a cashier", "transferencias esperando cajero"},
	"dash.open_batches":      {"Open batches", "Lotes abiertos"},
	"dash.volume":            {"Volume per day, last 14 days (received from clients, by currency)", "Volumen por día, últimos 14 días (recibido de clientes, por moneda)"},
	"dash.profit":            {"Net profit per closed batch", "Ganancia neta por lote cerrado"},
	"dash.liquidity":         {"Liquidity per currency", "Liquidez por moneda"},
	"dash.currency":          {"Currency", "Moneda"},
	"dash.account":           {"Account", "Cuenta"},
	"dash.balance":           {"Balance", "Saldo"},
	"dash.user_balances":     {"all user balances", "saldos de todos los usuarios"},

	"appr.accounts":    {"Account requests", "Solicitudes de cuenta"},
	"appr.withdrawals": {"Withdrawals", "Retiros"},
	"appr.user":        {"User", "Usuario"},
	"appr.currency":    {"Currency", "Moneda"},
	"appr.amount":      {"Amount", "Monto"},
	"appr.requested":   {"Requested", "Solicitado"},
	"appr.decision":    {"Decision", "Decisión"},
	"appr.approve":     {"Approve", "Aprobar"},
	"appr.reject":      {"Reject", "Rechazar"},
	"appr.reason":      {"Reason for rejecting", "Motivo del rechazo"},
	"appr.none":        {"Nothing waits for a decision.", "Nada espera una decisión."},

	"cat.currencies":   {"Currencies", "Monedas"},
	"cat.countries":    {"Countries", "Países"},
	"cat.rates":        {"Current rates", "Tasas vigentes"},
	"cat.code":         {"Code", "Código"},
	"cat.name":         {"Name", "Nombre"},
	"cat.exponent":     {"Decimals", "Decimales"},
	"cat.rounding":     {"Rounding", "Redondeo"},
	"cat.status":       {"Status", "Estado"},
	"cat.enabled":      {"enabled", "habilitada"},
	"cat.disabled":     {"disabled", "deshabilitada"},
	"cat.enable":       {"Enable", "Habilitar"},
	"cat.disable":      {"Disable", "Deshabilitar"},
	"cat.currency":     {"Currency", "Moneda"},
	"cat.add_currency": {"Add currency", "Agregar moneda"},
	"cat.add_country":  {"Add country", "Agregar país"},
	"cat.pair":         {"Pair", "Par"},
	"cat.rate":         {"Rate", "Tasa"},
	"cat.base":         {"From", "De"},
	"cat.quote":        {"To", "A"},
	"cat.set_by":       {"Set by", "Fijada por"},
	"cat.valid_from":   {"Valid from", "Vigente desde"},
	"cat.set_rate":     {"Set rate", "Fijar tasa"},
	"cat.rate_help":    {"Units of the second currency per 1 unit of the first, for example 40.25.", "Unidades de la segunda moneda por 1 unidad de la primera, por ejemplo 40,25."},
	"cat.no_rates":     {"No rates yet.", "Todavía no hay tasas."},
	"rates.chart":      {"The pair's rate over time", "La tasa del par en el tiempo"},
	"rates.back":       {"All currencies and rates", "Todas las monedas y tasas"},

	"batch.open_batches":   {"Open", "Abiertos"},
	"batch.closed_batches": {"Closed", "Cerrados"},
	"batch.cashier":        {"Cashier", "Cajero"},
	"batch.pair":           {"Pair", "Par"},
	"batch.capital":        {"Capital", "Capital"},
	"batch.cost_rate":      {"Cost rate", "Tasa de costo"},
	"batch.remaining":      {"Remaining", "Disponible"},
	"batch.reserved":       {"Reserved", "Reservado"},
	"batch.transfers":      {"Transfers", "Transferencias"},
	"batch.net_profit":     {"Net profit so far", "Ganancia neta hasta ahora"},
	"batch.opened":         {"Opened", "Abierto"},
	"batch.closed":         {"Closed", "Cerrado"},
	"batch.state":          {"State", "Estado"},
	"batch.none_open":      {"No open batch.", "Ningún lote abierto."},
	"batch.none_closed":    {"No closed batch yet.", "Todavía no hay lotes cerrados."},
	"batch.live":           {"Live status", "Estado en vivo"},
	"batch.taken":          {"Taken, not finished", "Tomadas, sin terminar"},
	"batch.running":        {"Summary so far", "Resumen hasta ahora"},
	"batch.updated":        {"Updated", "Actualizado"},
	"batch.summary":        {"Summary", "Resumen"},
	"batch.close":          {"Close batch", "Cerrar lote"},
	"batch.close_help":     {"Closing stores the summary for good and returns the remaining capital.", "Cerrar guarda el resumen para siempre y devuelve el capital restante."},
	"batch.no_transfers":   {"No transfer in this batch.", "Ninguna transferencia en este lote."},
	"batch.postings":       {"Postings on the batch's capital", "Movimientos del capital del lote"},

	"sum.transfers":         {"Transfers completed", "Transferencias completadas"},
	"sum.paid_out":          {"Paid out", "Pagado"},
	"sum.cost":              {"Cost of the payouts", "Costo de lo pagado"},
	"sum.collected":         {"Collected", "Cobrado"},
	"sum.gross_profit":      {"Gross profit", "Ganancia bruta"},
	"sum.agent_commissions": {"Agent commissions", "Comisiones de agentes"},
	"sum.net_profit":        {"Net profit", "Ganancia neta"},
	"sum.returned":          {"Capital returned", "Capital devuelto"},

	"tr.client":      {"Client", "Cliente"},
	"tr.state":       {"State", "Estado"},
	"tr.send":        {"Sent", "Enviado"},
	"tr.receive":     {"Paid out", "A pagar"},
	"tr.reference":   {"Reference", "Referencia"},
	"tr.updated":     {"Updated", "Actualizada"},
	"tr.created":     {"Created", "Creada"},
	"tr.route":       {"Route", "Ruta"},
	"tr.beneficiary": {"Beneficiary", "Beneficiario"},
	"tr.cashier":     {"Cashier", "Cajero"},

	"post.time":        {"Time", "Fecha"},
	"post.description": {"Description", "Descripción"},
	"post.amount":      {"Amount", "Monto"},
	"post.balance":     {"Balance", "Saldo"},
	"post.closing":     {"Balance now", "Saldo actual"},

	"queue.pending": {"Waiting for a cashier", "Esperando cajero"},
	"queue.taken":   {"Taken, being paid", "Tomadas, en pago"},
	"queue.none":    {"None.", "Ninguna."},

	"audit.verify":    {"Verify chain", "Verificar cadena"},
	"audit.actor":     {"Actor", "Actor"},
	"audit.action":    {"Action", "Acción"},
	"audit.entity":    {"Entity", "Entidad"},
	"audit.entity_id": {"ID", "ID"},
	"audit.from":      {"From", "Desde"},
	"audit.to":        {"To", "Hasta"},
	"audit.filter":    {"Filter", "Filtrar"},
	"audit.clear":     {"Clear", "Limpiar"},
	"audit.time":      {"Time", "Fecha"},
	"audit.change":    {"Change", "Cambio"},
	"audit.show":      {"before / after", "antes / después"},
	"audit.older":     {"Older events", "Eventos anteriores"},
	"audit.none":      {"No event matches.", "Ningún evento coincide."},

	"sess.user":      {"User", "Usuario"},
	"sess.lang":      {"Language", "Idioma"},
	"sess.created":   {"Logged in", "Entró"},
	"sess.last_seen": {"Last seen", "Última actividad"},
	"sess.expires":   {"Ends at the latest", "Termina a más tardar"},
	"sess.revoke":    {"Revoke all of this user's sessions", "Revocar todas las sesiones de este usuario"},
	"sess.none":      {"No live session.", "Ninguna sesión activa."},
	"sess.help":      {"A session ends after 2 hours without use or 12 hours after login, whichever comes first, or when revoked.", "Una sesión termina tras 2 horas sin uso o 12 horas después de entrar, lo que ocurra primero, o al revocarla."},
}
