package discord

import (
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// text is a label a person reads, in both languages. Command names,
// descriptions, embed titles and button labels live here; sentences with
// data (errors, explanations) live in the i18n catalogs.
type text struct{ en, es string }

func (t text) in(l i18n.Lang) string {
	if l == i18n.ES {
		return t.es
	}
	return t.en
}

// f formats the label with fmt verbs.
func (t text) f(l i18n.Lang, args ...any) string { return fmt.Sprintf(t.in(l), args...) }

// localizations gives Discord the Spanish variant for both Spanish locales.
func (t text) localizations() *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.SpanishES: t.es, discordgo.SpanishLATAM: t.es}
}

func (t text) localizationMap() map[discordgo.Locale]string { return *t.localizations() }

// amount shows money as the reader writes it.
func amount(l i18n.Lang, a money.Amount) string {
	if l == i18n.ES {
		return money.Format(a, money.LocaleES)
	}
	return money.Format(a, money.LocaleEN)
}

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("<t:%d:f>", t.Unix())
}

func msg(l i18n.Lang, m cambista.Message) string { return i18n.T(l, m) }

// Labels.
var (
	lAccount        = text{"Account #%d", "Cuenta #%d"}
	lTransfer       = text{"Transfer #%d", "Transferencia #%d"}
	lWithdrawal     = text{"Withdrawal #%d", "Retiro #%d"}
	lBatch          = text{"Batch #%d", "Lote #%d"}
	lQuote          = text{"Quote #%d", "Cotización #%d"}
	lUser           = text{"User", "Usuario"}
	lCurrency       = text{"Currency", "Moneda"}
	lStatus         = text{"Status", "Estado"}
	lBy             = text{"By", "Por"}
	lReason         = text{"Reason", "Motivo"}
	lAmount         = text{"Amount", "Monto"}
	lSend           = text{"You send", "Envía"}
	lRate           = text{"Rate", "Tasa"}
	lCommission     = text{"Commission", "Comisión"}
	lBonus          = text{"Bonus", "Bonificación"}
	lReceive        = text{"Beneficiary receives", "Recibe el beneficiario"}
	lExpires        = text{"Valid until", "Válida hasta"}
	lWhy            = text{"Why", "Por qué"}
	lBeneficiary    = text{"Beneficiary", "Beneficiario"}
	lCashier        = text{"Cashier", "Cajero"}
	lReference      = text{"Reference", "Referencia"}
	lCapital        = text{"Capital", "Capital"}
	lCostRate       = text{"Cost rate", "Tasa de costo"}
	lRemaining      = text{"Remaining", "Disponible"}
	lReserved       = text{"Reserved", "Reservado"}
	lTransfers      = text{"Transfers", "Transferencias"}
	lPaidOut        = text{"Paid out", "Pagado"}
	lCost           = text{"Cost", "Costo"}
	lCollected      = text{"Collected", "Cobrado"}
	lGross          = text{"Gross profit", "Ganancia bruta"}
	lAgentComm      = text{"Agent commissions", "Comisiones de agentes"}
	lNet            = text{"Net profit", "Ganancia neta"}
	lReturned       = text{"Capital returned", "Capital devuelto"}
	lBalance        = text{"Balance", "Saldo"}
	lHeld           = text{"Held", "Retenido"}
	lAvailable      = text{"Available", "Disponible"}
	lNoAccounts     = text{"You have no accounts yet. Request one with /account request.", "Aún no tiene cuentas. Solicite una con /account request."}
	lApprove        = text{"Approve", "Aprobar"}
	lReject         = text{"Reject", "Rechazar"}
	lTake           = text{"Take", "Tomar"}
	lComplete       = text{"Complete", "Completar"}
	lConfirm        = text{"Confirm and send", "Confirmar y enviar"}
	lRegister       = text{"Register", "Registrarme"}
	lWelcome        = text{"Welcome! Press the button to register.", "¡Bienvenido! Presione el botón para registrarse."}
	lRegistered     = text{"Registered as %s. Now choose your country and user type:", "Registrado como %s. Ahora elija su país y su tipo de usuario:"}
	lProfileSaved   = text{"Saved: country %s, user type %s.", "Guardado: país %s, tipo de usuario %s."}
	lPickCountry    = text{"Your country", "Su país"}
	lPickType       = text{"You are…", "Usted es…"}
	lTypeClient     = text{"Client", "Cliente"}
	lTypeAgent      = text{"Agent", "Agente"}
	lDisplayName    = text{"Display name", "Nombre a mostrar"}
	lPhone          = text{"Phone (optional)", "Teléfono (opcional)"}
	lBenName        = text{"Beneficiary's full name", "Nombre completo del beneficiario"}
	lBenBank        = text{"Bank", "Banco"}
	lBenNumber      = text{"Account number", "Número de cuenta"}
	lBenDoc         = text{"ID document", "Documento de identidad"}
	lRefInput       = text{"Payment reference", "Referencia del pago"}
	lProofInput     = text{"Proof (https link, optional)", "Comprobante (enlace https, opcional)"}
	lReasonInput    = text{"Reason", "Motivo"}
	lRequested      = text{"Account #%d in %s requested. A superuser will review it; you will get a DM.", "Cuenta #%d en %s solicitada. Un superusuario la revisará; recibirá un mensaje directo."}
	lCreated        = text{"Transfer #%d created: %s to %s. A cashier will take it; you will get DMs as it moves.", "Transferencia #%d creada: %s para %s. Un cajero la tomará; recibirá mensajes directos con cada cambio."}
	lCancelled      = text{"Transfer #%d cancelled.", "Transferencia #%d cancelada."}
	lWithdrawReq    = text{"Withdrawal #%d of %s requested. The amount is held until a superuser decides.", "Retiro #%d de %s solicitado. El monto queda retenido hasta que un superusuario decida."}
	lDone           = text{"Done.", "Listo."}
	lRateSet        = text{"Rate %s set: %s %s per 1 %s.", "Tasa %s fijada: %s %s por 1 %s."}
	lNoRates        = text{"No rates yet.", "Aún no hay tasas."}
	lCurrencyAdded  = text{"Currency %s (%s, %d decimals) added.", "Moneda %s (%s, %d decimales) agregada."}
	lCountryAdded   = text{"Country %s (%s, pays out in %s) added.", "País %s (%s, paga en %s) agregado."}
	lRuleSaved      = text{"Commission rule #%d (%s %%) published.", "Regla de comisión #%d (%s %%) publicada."}
	lChannelSet     = text{"The %s channel is now <#%s>.", "El canal %s ahora es <#%s>."}
	lRoleSet        = text{"The app role %s is now the Discord role <@&%s>.", "El rol %s de la app ahora es el rol de Discord <@&%s>."}
	lRoleChanged    = text{"%s now has the roles: %s.", "%s ahora tiene los roles: %s."}
	lStatement      = text{"Statement %s", "Estado de cuenta %s"}
	lOpening        = text{"Opening balance", "Saldo inicial"}
	lClosing        = text{"Closing balance", "Saldo final"}
	lLines          = text{"Movements", "Movimientos"}
	lTaken          = text{"Taken by you into batch #%d. Pay it, then press Complete.", "La tomó en el lote #%d. Páguela y luego presione Completar."}
	lCompleted      = text{"Transfer #%d completed.", "Transferencia #%d completada."}
	lBatchClosed    = text{"Batch #%d closed.", "Lote #%d cerrado."}
	lNoOpenBatches  = text{"You have no open batches.", "No tiene lotes abiertos."}
	lInternalPrefix = text{"Something went wrong on our side (reference %s). Please try again; if it keeps happening, tell a superuser.", "Algo falló de nuestro lado (referencia %s). Intente de nuevo; si sigue pasando, avise a un superusuario."}
	lUnknownAction  = text{"This button is no longer valid. Run the command again.", "Este botón ya no es válido. Ejecute el comando de nuevo."}
	lWhoActed       = text{"%s by <@%s>", "%s por <@%s>"}
)
