package discord

import (
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// A client's history: their transfers, in /transfer list and beside their
// account's postings in /statement.

// shownTransfers is how many transfers a message lists, the latest: ten
// fields of at most about 250 characters keep a card well inside Discord's
// limits (25 fields, 6,000 characters); the statement's file holds all.
const shownTransfers = 10

var (
	lPeriodTransfers = words.Text("discord_period_transfers", "Your transfers in the period")
	lLatestTransfers = words.Text("discord_latest_transfers", "Your latest transfers")
	lNoTransfers     = words.Text("discord_no_transfers", "No transfers.")
	lMoreInFile      = words.Text("discord_more_in_file", "The latest {{.Shown}} of {{.All}}; the CSV file has them all.")
	lTransferLine    = words.Text("discord_transfer_line", "{{.Date}} · {{.Sent}} → {{.Received}}\nFee {{.Fee}} · rate {{.Rate}}\nTo {{.Beneficiary}}")
)

// transferListCommand is /transfer list: the client's latest transfers.
var transferListCommand = command{name: words.Text("discord_cmd_transfer_list", "list"),
	desc: words.Text("discord_cmd_transfer_list_desc", "Your latest transfers and where they stand"), run: (*Bot).cmdTransferList}

func (b *Bot) cmdTransferList(it *interaction, _ options) (response, error) {
	lines, err := b.app.TransferHistory(it.ctx, app.HistoryQuery{Limit: shownTransfers})
	if err != nil {
		return nil, err
	}
	return ephemeralCard(Card{Embeds: []*discordgo.MessageEmbed{transfersEmbed(it.lang, tr(it.lang, lLatestTransfers), lines)}}, ""), nil
}

// transfersEmbed lists the latest transfers (newest first, as given), one
// field each: number and state, then date, amounts, fee, rate and
// beneficiary.
func transfersEmbed(l i18n.Lang, title string, lines []app.TransferLine) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: title, Color: colorInfo}
	if len(lines) == 0 {
		e.Description = tr(l, lNoTransfers)
	}
	for i, t := range lines {
		if i == shownTransfers {
			break
		}
		e.Fields = append(e.Fields, field(fmt.Sprintf("#%d · %s", t.ID, i18n.Word(l, t.Status)),
			tr(l, lTransferLine, "Date", fmt.Sprintf("<t:%d:d>", t.CreatedAt.Unix()), "Sent", amount(l, t.Send), "Received", amount(l, t.Receive),
				"Fee", amount(l, t.Commission), "Rate", i18n.Number(l, t.Rate.String()), "Beneficiary", truncate(plain(t.Beneficiary.Name), 200)), false))
	}
	return e
}
