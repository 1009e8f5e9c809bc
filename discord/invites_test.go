package discord_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestInvitations: an agent's /invite answers with their code, the welcome
// panel's link and a text to forward, in the agent's language; anyone else
// is told they are not an agent. /register with the code fills it into the
// form, and the registration links the client to the agent; a wrong code
// refuses the registration and leaves nothing behind. A client registered
// without an agent enters a code once with /agent; a second time is
// refused with how to change it. The invited client's transfer, made and
// paid through Discord, pays the agent their share. In both modes and both
// languages, with the books balanced and the audit chain whole.
func TestInvitations(t *testing.T) {
	type lang struct {
		locale                                                 discordgo.Locale
		forward, notAgent, badCode, registered, joined, linked string
		share                                                  string
	}
	langs := map[string]lang{
		"es": {discordgo.SpanishLATAM, "regístrese con /registro codigo:", "no es agente", "Ningún agente tiene el código", "Registrado como",
			"Listo: su agente ahora es <@" + string(apptest.Agent) + ">", "Pida a un superusuario que lo cambie", "1,00 USD"},
		"en": {discordgo.EnglishUS, "register with /register code:", "is not an agent", "No agent has the invite code", "Registered as",
			"Done: your agent is now <@" + string(apptest.Agent) + ">", "Ask a superuser to change it", "1.00 USD"},
	}
	codeIn := regexp.MustCompile(`\*\*([A-Z0-9]{8})\*\*`)
	eachModeAndLanguage(t, langs, func(t *testing.T, mode string, l lang) {
		storetest.Each(t, func(t *testing.T, s *store.Store) {
			w := newWorld(t, s, mode)
			apptest.Business(t, s)
			boot, agent, client, cashier := apptest.Boot, apptest.Agent, apptest.Client, apptest.Cashier
			invited, late := cambista.UserID("60"), cambista.UserID("61")
			for _, u := range []cambista.UserID{agent, client, cashier, invited, late} {
				w.member(u, l.locale)
			}
			w.member(boot, discordgo.EnglishUS)
			w.cmd(boot, "config", subcmd("channel", opt("kind", "welcome"), opt("channel", generalChannel)))
			w.cmd(boot, "config", subcmd("channel", opt("kind", "cashier"), opt("channel", cashierChannel)))

			r := w.cmd(agent, "invite")
			w.want(r, "https://discord.com/channels/"+discordtest.GuildID+"/"+generalChannel, l.forward)
			m := codeIn.FindStringSubmatch(r.Data.Content)
			if m == nil || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Fatalf("/invite answered %+v", r.Data)
			}
			code := m[1]
			w.want(r, l.forward+code)
			w.want(w.cmd(client, "invite"), l.notAgent)

			// A wrong code: refused, and not even registered.
			events := auditEvents(t, w)
			w.want(w.submit(invited, "register", map[string]string{"name": "Bea", "code": "WRONG234"}), l.badCode, "WRONG234")
			if _, err := w.e.Svc.User(w.e.As(boot), invited); cambista.ErrorCode(err) != cambista.ENOTFOUND {
				t.Fatalf("a registration with a wrong code made the user: %v", err)
			}
			if n := auditEvents(t, w); n != events {
				t.Fatalf("a refused registration wrote %d audit events", n-events)
			}

			// /register with the code: the form has it, and the
			// registration links the client.
			r = w.cmd(invited, "register", opt("code", code))
			if r.Type != discordgo.InteractionResponseModal || inputValue(r, "code") != code {
				t.Fatalf("/register code answered %+v", r)
			}
			w.want(w.submit(invited, "register", map[string]string{"name": "Bea", "phone": "", "code": code}),
				l.registered, "<@"+string(agent)+">")
			if u := apptest.Must(w.e.Svc.User(w.e.As(boot), invited)); u.ReferrerID != agent {
				t.Fatalf("registered with the code, the client's agent is %q", u.ReferrerID)
			}

			// Registered without an agent, a code once.
			w.submit(late, "register", map[string]string{"name": "Cruz"})
			w.want(w.cmd(late, "agent", opt("code", "WRONG234")), l.badCode)
			w.want(w.cmd(late, "agent", opt("code", strings.ToLower(code))), l.joined)
			w.want(w.cmd(late, "agent", opt("code", code)), l.linked)
			w.want(w.cmd(client, "agent", opt("code", code)), l.linked) // Business linked them already

			// The invited client's transfer pays the agent's share,
			// which their account shows.
			w.e.Account(agent, "USD")
			w.cmd(cashier, "batch", subcmd("open", opt("from", "USD"), opt("to", "VES"), opt("capital", "10000"), opt("cost_rate", "41")))
			send := customIDs(w.cmd(invited, "send", opt("amount", "100"), opt("from", "USD"), opt("to", "VES")).Data.Components)
			b := apptest.Beneficiary
			w.submit(invited, send[0], map[string]string{"name": b.Name, "bank": b.Bank, "number": b.AccountNumber, "document": b.DocumentID})
			w.deliver()
			cards := w.transferCards()
			card := cards[len(cards)-1]
			done := customIDs(w.click(cashier, cashierChannel, card.ID, customIDs(card.Components)[0]).Data.Components)
			w.submit(cashier, done[0], map[string]string{"reference": "REF-7", "proof": ""})
			w.want(w.cmd(agent, "balance"), l.share)
			if got := balance(t, w, ledger.User(agent, "USD")); got != 100 {
				t.Fatalf("the agent holds %d, want their 1.00 USD share", got)
			}
			booksHold(t, w)
		})
	})
}

// inputValue is the value a form opens with in its input id.
func inputValue(r *discordgo.InteractionResponse, id string) string {
	for _, c := range r.Data.Components {
		var row discordgo.ActionsRow
		switch v := c.(type) {
		case discordgo.ActionsRow:
			row = v
		case *discordgo.ActionsRow:
			row = *v
		}
		for _, x := range row.Components {
			switch in := x.(type) {
			case discordgo.TextInput:
				if in.CustomID == id {
					return in.Value
				}
			case *discordgo.TextInput:
				if in.CustomID == id {
					return in.Value
				}
			}
		}
	}
	return ""
}

// auditEvents seals and counts the audit chain, which must verify.
func auditEvents(t *testing.T, w *world) int64 {
	t.Helper()
	n, err := app.VerifyAudit(system(), w.e.Store)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func balance(t *testing.T, w *world, a cambista.LedgerAccount) int64 {
	t.Helper()
	var minor int64
	err := w.e.Store.View(system(), func(tx app.Tx) error {
		b, err := tx.Balance(system(), a)
		minor = b.Minor
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return minor
}

// booksHold is `cambista ledger check` and `cambista audit verify`.
func booksHold(t *testing.T, w *world) {
	t.Helper()
	if v, err := app.CheckLedger(system(), w.e.Store); err != nil || len(v) != 0 {
		t.Fatalf("ledger: %v %v", v, err)
	}
	auditEvents(t, w)
}
