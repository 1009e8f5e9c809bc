package discord

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// Rendering is separate from handling, so that every card can be tested
// without Discord and the outbox worker draws the same cards the bot does.

// Card is a message: embeds and the buttons under them.
type Card struct {
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

const (
	colorPending = 0xF1C40F
	colorOK      = 0x2ECC71
	colorBad     = 0xE74C3C
	colorInfo    = 0x3498DB
)

func field(name, value string, inline bool) *discordgo.MessageEmbedField {
	return &discordgo.MessageEmbedField{Name: name, Value: value, Inline: inline}
}

func button(label cambista.MessageDef, l i18n.Lang, style discordgo.ButtonStyle, action string, id cambista.ID) discordgo.Button {
	return discordgo.Button{Label: tr(l, label), Style: style, CustomID: customID(action, id)}
}

func row(buttons ...discordgo.Button) discordgo.ActionsRow {
	r := discordgo.ActionsRow{}
	for _, b := range buttons {
		r.Components = append(r.Components, b)
	}
	return r
}

func stateColor(s string) int {
	switch s {
	case "approved", "completed", "open", "confirmed", "posted", "refunded":
		return colorOK
	case "rejected", "cancelled", "expired", "frozen", "reversed":
		return colorBad
	case "closed":
		return colorInfo
	}
	return colorPending
}

// AccountCard shows an account request; while it is requested it carries
// Approve and Reject.
func AccountCard(l i18n.Lang, a *cambista.Account) Card {
	e := &discordgo.MessageEmbed{
		Title: tr(l, lAccount, "ID", a.ID),
		Color: stateColor(string(a.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(a.UserID)+">", true),
			field(tr(l, lCurrency), a.Currency, true),
			field(tr(l, lStatus), i18n.Word(l, a.Status), true),
		},
	}
	decided(l, e, string(a.Status), a.DecidedBy, a.Reason)
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if a.Status == cambista.AccountRequested {
		c.Components = []discordgo.MessageComponent{row(
			button(lApprove, l, discordgo.SuccessButton, actApproveAccount, a.ID),
			button(lReject, l, discordgo.DangerButton, actRejectAccount, a.ID))}
	}
	return c
}

// AgentRequestCard shows a request to become an agent; while it waits it
// carries Approve and Reject.
func AgentRequestCard(l i18n.Lang, r *cambista.AgentRequest) Card {
	e := &discordgo.MessageEmbed{
		Title: tr(l, lAgentRequest, "ID", r.ID),
		Color: stateColor(string(r.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(r.UserID)+">", true),
			field(tr(l, lStatus), i18n.Word(l, r.Status), true),
		},
	}
	decided(l, e, string(r.Status), r.DecidedBy, r.Reason)
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if r.Status == cambista.AgentRequested {
		c.Components = []discordgo.MessageComponent{row(
			button(lApprove, l, discordgo.SuccessButton, actApproveAgent, r.ID),
			button(lReject, l, discordgo.DangerButton, actRejectAgent, r.ID))}
	}
	return c
}

// markdownSpecial are the characters Discord's markdown gives a meaning:
// emphasis, code, quotes and headings, masked links [text](url), and
// mentions <@id> and @everyone.
const markdownSpecial = "\\*_~`|>#[]()<@"

// plain escapes what a person typed (a beneficiary's name, a reason) so
// that Discord shows it as it was typed: a name like
// "[Pay here first](https://evil.example)" must not become a disguised
// link in the cashiers' channel, nor "@everyone" a call. The replies also
// set allowed_mentions to none, so nothing typed can ping anyone.
func plain(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// noMentions lets a message ping nobody: what it names, it names as text.
func noMentions() *discordgo.MessageAllowedMentions { return &discordgo.MessageAllowedMentions{} }

// decided adds who acted and why to a card.
func decided(l i18n.Lang, e *discordgo.MessageEmbed, state string, by cambista.UserID, reason string) {
	if by != "" {
		e.Fields = append(e.Fields, field(tr(l, lBy), tr(l, lWhoActed, "State", cambista.WordFor(state), "User", by), false))
	}
	if reason != "" {
		e.Fields = append(e.Fields, field(tr(l, lReason), plain(reason), false))
	}
}

// WithdrawalCard shows a withdrawal; while requested it carries Approve and
// Reject.
func WithdrawalCard(l i18n.Lang, w *cambista.Withdrawal) Card {
	e := &discordgo.MessageEmbed{
		Title: tr(l, lWithdrawal, "ID", w.ID),
		Color: stateColor(string(w.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(w.UserID)+">", true),
			field(tr(l, lAmount), amount(l, w.Amount), true),
			field(tr(l, lStatus), i18n.Word(l, w.Status), true),
		},
	}
	decided(l, e, string(w.Status), w.DecidedBy, w.Reason)
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if w.Status == cambista.WithdrawalRequested {
		c.Components = []discordgo.MessageComponent{row(
			button(lApprove, l, discordgo.SuccessButton, actApproveWithdrawal, w.ID),
			button(lReject, l, discordgo.DangerButton, actRejectWithdrawal, w.ID))}
	}
	return c
}

// TransferCard shows a transfer: Take while pending, Complete and Reject
// while taken, no button once it is finished.
func TransferCard(l i18n.Lang, t *cambista.Transfer) Card {
	b := t.Beneficiary
	e := &discordgo.MessageEmbed{
		Title: tr(l, lTransfer, "ID", t.ID),
		Color: stateColor(string(t.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(t.ClientID)+">", true),
			field(tr(l, lSend), amount(l, t.Send), true),
			field(tr(l, lReceive), amount(l, t.Receive), true),
			field(tr(l, lStatus), i18n.Word(l, t.Status), true),
			field(tr(l, lBeneficiary), fmt.Sprintf("%s\n%s · %s\n%s", plain(b.Name), plain(b.Bank), plain(b.AccountNumber), plain(b.DocumentID)), false),
		},
	}
	if t.FromBalance {
		// The cashier collects nothing from the client: it is held.
		e.Description = "💳 " + tr(l, lFromBalance)
	}
	if t.CashierID != "" {
		e.Fields = append(e.Fields, field(tr(l, lCashier), "<@"+string(t.CashierID)+"> · "+tr(l, lBatch, "ID", t.BatchID), true))
	}
	if t.Reference != "" {
		e.Fields = append(e.Fields, field(tr(l, lReference), plain(t.Reference), true))
	}
	if t.Reason != "" {
		e.Fields = append(e.Fields, field(tr(l, lReason), t.Reason, false))
	}
	if t.ProofURL != "" {
		e.URL = t.ProofURL
	}
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	switch t.Status {
	case cambista.TransferPending:
		c.Components = []discordgo.MessageComponent{row(button(lTake, l, discordgo.PrimaryButton, actTake, t.ID))}
	case cambista.TransferTaken:
		c.Components = []discordgo.MessageComponent{row(
			button(lComplete, l, discordgo.SuccessButton, actComplete, t.ID),
			button(lRelease, l, discordgo.SecondaryButton, actRelease, t.ID),
			button(lReject, l, discordgo.DangerButton, actRejectTransfer, t.ID))}
	}
	return c
}

// QueueMax is how many transfers a queue card shows: an embed holds 25
// fields and a select menu 25 options.
const QueueMax = 25

// QueueCard shows several transfers in one message of the cashier channel,
// a line each, with a menu to take one of those still pending: a channel
// takes about 5 new messages per 5 seconds, so transfers that arrive
// together share one. Taken transfers name their cashier, finished ones
// are struck through. The cashier who takes one gets its card, with its
// buttons, as a reply only they see (TransferCard).
func QueueCard(l i18n.Lang, ts []*cambista.Transfer) Card {
	e := &discordgo.MessageEmbed{Title: tr(l, lQueue), Color: colorInfo}
	var opts []discordgo.SelectMenuOption
	for _, t := range ts[:min(len(ts), QueueMax)] {
		pair := cambista.Pair(t.Send.Currency.Code, t.Receive.Currency.Code)
		name := fmt.Sprintf("%s · %s · %s → %s", tr(l, lTransfer, "ID", t.ID), pair, orDash(t.FromCountry), orDash(t.ToCountry))
		line := fmt.Sprintf("<@%s> · %s → %s", t.ClientID, amount(l, t.Send), amount(l, t.Receive))
		state := i18n.Word(l, t.Status)
		switch {
		case t.CashierID != "":
			state = tr(l, lWhoActed, "State", cambista.WordFor(string(t.Status)), "User", t.CashierID)
		case t.Status == cambista.TransferPending:
			e.Color = colorPending
			opts = append(opts, discordgo.SelectMenuOption{
				Label: truncate(fmt.Sprintf("#%d · %s → %s", t.ID, amount(l, t.Send), amount(l, t.Receive)), 100),
				Value: fmt.Sprint(t.ID), Description: truncate(fmt.Sprintf("%s · %s → %s", pair, orDash(t.FromCountry), orDash(t.ToCountry)), 100)})
		}
		if finished(t.Status) {
			line = "~~" + line + "~~"
		}
		e.Fields = append(e.Fields, field(name, line+"\n"+state, false))
	}
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if len(opts) > 0 {
		c.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: actPick, Placeholder: tr(l, lPick), Options: opts}}}}
	}
	return c
}

// finished says whether a transfer's state is final.
func finished(s cambista.TransferStatus) bool {
	switch s {
	case cambista.TransferPending, cambista.TransferTaken, cambista.TransferQuoted:
		return false
	}
	return true
}

// WelcomeCard is the registration panel of the welcome channel.
func WelcomeCard(l i18n.Lang) Card {
	return Card{
		Embeds:     []*discordgo.MessageEmbed{{Title: tr(l, lRegister), Description: tr(l, lWelcome), Color: colorInfo}},
		Components: []discordgo.MessageComponent{row(button(lRegister, l, discordgo.PrimaryButton, actRegister, 0))},
	}
}

// QuoteCard shows a quote with its explanation and, for /send, a Confirm
// button that opens the beneficiary form, and beside it, when the client
// has the amount available (payable), one that pays from their balance.
func QuoteCard(l i18n.Lang, q *cambista.Quote, why []cambista.Message, confirm, payable bool) Card {
	lines := make([]string, len(why))
	for i, m := range why {
		lines[i] = "• " + i18n.T(l, m)
	}
	e := &discordgo.MessageEmbed{
		Title: tr(l, lQuote, "ID", q.ID),
		Color: colorInfo,
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lSend), amount(l, q.Send), true),
			field(tr(l, lRate), i18n.Number(l, q.Rate.String()), true),
			field(tr(l, lCommission), amount(l, q.Commission), true),
			field(tr(l, lReceive), amount(l, q.Receive), true),
			field(tr(l, lExpires), when(q.ExpiresAt), true),
		},
	}
	if len(lines) > 0 {
		e.Fields = append(e.Fields, field(tr(l, lWhy), truncate(strings.Join(lines, "\n"), 1024), false))
	}
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if confirm {
		buttons := []discordgo.Button{button(lConfirm, l, discordgo.SuccessButton, actConfirmQuote, q.ID)}
		if payable {
			buttons = append(buttons, button(lPayFromBalance, l, discordgo.PrimaryButton, actConfirmFromBalance, q.ID))
		}
		c.Components = []discordgo.MessageComponent{row(buttons...)}
	}
	return c
}

// BatchCard shows a batch's live status, or its summary once closed.
func BatchCard(l i18n.Lang, st *app.BatchStatus) Card {
	b := st.Batch
	e := &discordgo.MessageEmbed{
		Title: tr(l, lBatch, "ID", b.ID) + " · " + cambista.Pair(b.Base, b.Quote),
		Color: stateColor(string(b.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lCashier), "<@"+string(b.CashierID)+">", true),
			field(tr(l, lStatus), i18n.Word(l, b.Status), true),
			field(tr(l, lCapital), amount(l, b.Capital), true),
			field(tr(l, lCostRate), i18n.Number(l, b.CostRate.String()), true),
		},
	}
	if b.Status == cambista.BatchOpen {
		e.Fields = append(e.Fields, field(tr(l, lRemaining), amount(l, st.Remaining), true), field(tr(l, lReserved), amount(l, st.Reserved), true))
	}
	if s := st.Summary; s != nil {
		e.Fields = append(e.Fields,
			field(tr(l, lTransfers), fmt.Sprint(s.Transfers), true),
			field(tr(l, lPaidOut), amount(l, s.PaidOut), true),
			field(tr(l, lCost), amount(l, s.Cost), true),
			field(tr(l, lCollected), amount(l, s.Collected), true),
			field(tr(l, lGross), amount(l, s.GrossProfit), true),
			field(tr(l, lAgentComm), amount(l, s.AgentCommissions), true),
			field(tr(l, lNet), amount(l, s.NetProfit), true),
		)
		if !s.Refunded.IsZero() {
			e.Fields = append(e.Fields, field(tr(l, lRefunded), amount(l, s.Refunded), true))
		}
		if b.Status == cambista.BatchClosed {
			e.Fields = append(e.Fields, field(tr(l, lReturned), amount(l, s.Returned), true))
		}
	}
	for _, r := range st.Adjustments {
		// Beside the stored summary, never in it.
		e.Fields = append(e.Fields, field(tr(l, lAdjustment, "ID", r.TransferID), amount(l, r.Amount), true))
	}
	return Card{Embeds: []*discordgo.MessageEmbed{e}}
}

// BalanceCard lists a user's accounts with their money.
func BalanceCard(l i18n.Lang, views []app.AccountView) Card {
	e := &discordgo.MessageEmbed{Title: tr(l, lBalance), Color: colorInfo}
	if len(views) == 0 {
		e.Description = tr(l, lNoAccounts)
	}
	for _, v := range views {
		e.Fields = append(e.Fields, field(fmt.Sprintf("%s · %s", v.Account.Currency, i18n.Word(l, v.Account.Status)),
			fmt.Sprintf("%s: %s\n%s: %s\n%s: %s", tr(l, lBalance), amount(l, v.Balance), tr(l, lHeld), amount(l, v.Held),
				tr(l, lAvailable), amount(l, v.Available)), true))
	}
	return Card{Embeds: []*discordgo.MessageEmbed{e}}
}

// StatementCard summarizes an account's statement (st, nil without an
// account) and the client's transfers of the period, the latest of them
// line by line; every line goes in the CSV.
func StatementCard(l i18n.Lang, st *app.Statement, transfers []app.TransferLine) Card {
	var c Card
	if st != nil {
		c.Embeds = append(c.Embeds, &discordgo.MessageEmbed{
			Title: tr(l, lStatement, "Currency", st.Currency.Code),
			Color: colorInfo,
			Fields: []*discordgo.MessageEmbedField{
				field(tr(l, lOpening), amount(l, st.Opening), true),
				field(tr(l, lLines), fmt.Sprint(len(st.Lines)), true),
				field(tr(l, lClosing), amount(l, st.Closing), true),
			},
		})
	}
	e := transfersEmbed(l, tr(l, lPeriodTransfers), transfers)
	if len(transfers) > shownTransfers {
		e.Footer = &discordgo.MessageEmbedFooter{Text: tr(l, lMoreInFile, "Shown", shownTransfers, "All", len(transfers))}
	}
	c.Embeds = append(c.Embeds, e)
	return c
}

// StatementCSV writes an account's statement (st, nil without an account)
// and the client's transfers as one CSV table, its column names in
// English for the programs that read it: the postings between the opening
// and closing balances, then the transfers, oldest first, with the
// columns that only they fill. Amounts are plain decimals with a dot, so
// every spreadsheet reads them as numbers.
func StatementCSV(st *app.Statement, transfers []app.TransferLine) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"posting_id", "time_utc", "description", "reference", "amount", "balance", "currency", "kind",
		"transfer_id", "status", "sent", "fee", "rate", "received", "received_currency", "beneficiary"})
	const timeFormat = "2006-01-02 15:04:05"
	none := make([]string, 8) // the transfer columns of a posting's row
	if st != nil {
		w.Write(append([]string{"", "", "opening balance", "", "", decimalText(st.Opening), st.Currency.Code, ""}, none...))
		for _, ln := range st.Lines {
			w.Write(append([]string{fmt.Sprint(ln.ID), ln.Time.Format(timeFormat), ln.Description.Message().String(),
				fmt.Sprintf("%s %d", ln.RefType, ln.RefID), decimalText(ln.Amount), decimalText(ln.Balance), st.Currency.Code, ln.Kind()}, none...))
		}
		w.Write(append([]string{"", "", "closing balance", "", "", decimalText(st.Closing), st.Currency.Code, ""}, none...))
	}
	for i := len(transfers) - 1; i >= 0; i-- {
		t := transfers[i]
		ref := fmt.Sprintf("transfer %d", t.ID)
		w.Write([]string{"", t.CreatedAt.UTC().Format(timeFormat), ref, ref, "", "", t.Send.Currency.Code, "transfer",
			fmt.Sprint(t.ID), string(t.Status), decimalText(t.Send), decimalText(t.Commission), t.Rate.String(),
			decimalText(t.Receive), t.Receive.Currency.Code, cambista.Inert(t.Beneficiary.Name)})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// decimalText writes an amount for programs: digits and a dot.
func decimalText(a money.Amount) string { return a.Decimal().StringFixed(int32(a.Currency.Exponent)) }

// amount shows money as the reader writes it.
func amount(l i18n.Lang, a money.Amount) string { return i18n.Money(l, a) }

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmt.Sprintf("<t:%d:f>", t.Unix())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
