package report

import "github.com/cambista/cambista/i18n"

// label is a word or short phrase of a report: a title, a column header, a
// status. Sentences that carry data are i18n messages instead (see
// messages_report.go in the root package).
type label uint8

const (
	lblStatement label = iota
	lblTransactions
	lblBatches
	lblCommissions
	lblAudit

	lblTime
	lblDescription
	lblReference
	lblCurrency
	lblAmount
	lblBalance
	lblOpening
	lblClosing
	lblCredits
	lblDebits
	lblTotal

	lblID
	lblCreated
	lblClient
	lblStatus
	lblSendCurrency
	lblSend
	lblCommission
	lblAgent
	lblAgentShare
	lblReceiveCurrency
	lblReceive
	lblCashier
	lblBatch

	lblBase
	lblQuote
	lblOpened
	lblClosed
	lblCapital
	lblCostRate
	lblTransfers
	lblPaidOut
	lblCost
	lblCollected
	lblGrossProfit
	lblAgentCommissions
	lblNetProfit
	lblReturned

	lblName

	lblSeq
	lblActor
	lblAction
	lblEntity
	lblKey
	lblHash
)

// labels holds each label in Spanish and English.
var labels = [...]struct{ es, en string }{
	lblStatement:    {"Estado de cuenta", "Account statement"},
	lblTransactions: {"Transferencias", "Transfers"},
	lblBatches:      {"Resumen de lotes", "Batch summaries"},
	lblCommissions:  {"Comisiones de agentes", "Agent commissions"},
	lblAudit:        {"Registro de auditoría", "Audit log"},

	lblTime:        {"Fecha (UTC)", "Time (UTC)"},
	lblDescription: {"Descripción", "Description"},
	lblReference:   {"Referencia", "Reference"},
	lblCurrency:    {"Moneda", "Currency"},
	lblAmount:      {"Monto", "Amount"},
	lblBalance:     {"Saldo", "Balance"},
	lblOpening:     {"Saldo inicial", "Opening balance"},
	lblClosing:     {"Saldo final", "Closing balance"},
	lblCredits:     {"Total de créditos", "Total credits"},
	lblDebits:      {"Total de débitos", "Total debits"},
	lblTotal:       {"Total", "Total"},

	lblID:              {"ID", "ID"},
	lblCreated:         {"Creada (UTC)", "Created (UTC)"},
	lblClient:          {"Cliente", "Client"},
	lblStatus:          {"Estado", "Status"},
	lblSendCurrency:    {"Moneda de envío", "Send currency"},
	lblSend:            {"Enviado", "Sent"},
	lblCommission:      {"Comisión", "Commission"},
	lblAgent:           {"Agente", "Agent"},
	lblAgentShare:      {"Parte del agente", "Agent share"},
	lblReceiveCurrency: {"Moneda de pago", "Payout currency"},
	lblReceive:         {"A pagar", "Payout"},
	lblCashier:         {"Cajero", "Cashier"},
	lblBatch:           {"Lote", "Batch"},

	lblBase:             {"Base", "Base"},
	lblQuote:            {"Moneda de pago", "Payout currency"},
	lblOpened:           {"Abierto (UTC)", "Opened (UTC)"},
	lblClosed:           {"Cerrado (UTC)", "Closed (UTC)"},
	lblCapital:          {"Capital", "Capital"},
	lblCostRate:         {"Tasa de costo", "Cost rate"},
	lblTransfers:        {"Transferencias", "Transfers"},
	lblPaidOut:          {"Pagado", "Paid out"},
	lblCost:             {"Costo", "Cost"},
	lblCollected:        {"Cobrado", "Collected"},
	lblGrossProfit:      {"Ganancia bruta", "Gross profit"},
	lblAgentCommissions: {"Comisiones de agentes", "Agent commissions"},
	lblNetProfit:        {"Ganancia neta", "Net profit"},
	lblReturned:         {"Devuelto", "Returned"},

	lblName: {"Nombre", "Name"},

	lblSeq:    {"N.º", "Seq"},
	lblActor:  {"Actor", "Actor"},
	lblAction: {"Acción", "Action"},
	lblEntity: {"Entidad", "Entity"},
	lblKey:    {"Clave de idempotencia", "Idempotency key"},
	lblHash:   {"Hash", "Hash"},
}

func (l label) in(lang i18n.Lang) string {
	if lang == i18n.EN {
		return labels[l].en
	}
	return labels[l].es
}
