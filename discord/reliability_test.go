package discord_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestReliability (R4): with the fake answering 30 % of REST calls with
// 429 or 500 and the gateway dropped twice, every answer, card, edit, DM
// and role change arrives, and exactly once.
func TestReliability(t *testing.T) {
	storetest.EachOnClock(t, time.Now(), func(t *testing.T, s *store.Store, c *storetest.Clock) {
		w := newWorld(t, s, "gateway")
		e := apptest.Business(t, s)
		w.worker = jobs.New(w.e.Svc, w.dg, jobs.Config{GuildID: discordtest.GuildID, DefaultLang: i18n.ES,
			BackoffBase: time.Millisecond, BackoffMax: backoffMax, Now: c.Now}, nil, nil)
		for _, u := range []cambista.UserID{apptest.Boot, apptest.Client, apptest.Cashier, apptest.Other} {
			w.member(u, discordgo.EnglishUS)
		}
		ctx := e.As(apptest.Boot)
		apptest.Must(e.Svc.ConfigureChannel(ctx, "", app.ChannelSetting{Kind: app.ChannelCashier, ChannelID: cashierChannel}))
		apptest.Must(e.Svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000", CostRate: "41"}))
		w.deliverAll(c) // what setup wrote, before the faults

		w.fake.SetFaults(discordtest.Faults{Rate: 0.3, Statuses: []int{http.StatusTooManyRequests, http.StatusInternalServerError},
			Seed: 3, RetryAfter: backoffMax / 2})
		apptest.Must(e.Svc.AssignRole(ctx, "", app.RoleChange{UserID: apptest.Other, Role: cambista.RoleCashier}))
		const n = 6
		for k := range n {
			if k == 2 || k == 4 {
				w.fake.DropGateway()
			}
			tr := e.Send(apptest.Client, "10")
			w.deliverAll(c)
			card := w.lastCard(cashierChannel)
			r := w.click(apptest.Cashier, cashierChannel, card.ID, "take:"+itoa(tr.ID))
			if r.Type != discordgo.InteractionResponseUpdateMessage {
				t.Fatalf("take %d answered %+v", tr.ID, r)
			}
			r = w.submit(apptest.Cashier, "done:"+itoa(tr.ID), map[string]string{"reference": "R-" + itoa(tr.ID)})
			if r.Type != discordgo.InteractionResponseUpdateMessage {
				t.Fatalf("complete %d answered %+v", tr.ID, r)
			}
		}
		w.deliverAll(c)
		cards := w.cards(cashierChannel)
		if len(cards) != n {
			t.Fatalf("%d cards in the cashier channel, want %d", len(cards), n)
		}
		for _, c := range cards {
			if !strings.Contains(messageText(c), "R-") {
				t.Fatalf("a card was not edited to completed: %s", messageText(c))
			}
		}
		dms := strings.Join(w.dms(apptest.Client), "\n")
		for _, event := range []string{"tomó su transferencia", "fue completada"} {
			if got := strings.Count(dms, event); got != n {
				t.Fatalf("%d DMs saying %q, want %d", got, event, n)
			}
		}
		if got := w.fake.MemberRoles(string(apptest.Other)); len(got) == 0 || got[len(got)-1] != cashierRole {
			t.Fatalf("the new cashier's roles %v", got)
		}
		if got := len(w.fake.Received(discordtest.OpResume)); got < 2 {
			t.Fatalf("%d resumes, want the two drops resumed", got)
		}
	})
}

func itoa(id cambista.ID) string { return strconv.FormatInt(int64(id), 10) }

// backoffMax is the longest a row that failed waits before its next try
// in TestReliability: the backoff's cap, and twice a 429's retry_after.
const backoffMax = 20 * time.Millisecond

// deliverAll runs the worker until nothing is left to deliver, moving the
// clock of the store and the worker past the backoff of rows that failed.
func (w *world) deliverAll(c *storetest.Clock) {
	w.t.Helper()
	for range 100 {
		if _, err := w.worker.RunOnce(system()); err != nil {
			w.t.Fatal(err)
		}
		var left int
		if err := w.e.Store.DB().QueryRow(`SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL`).Scan(&left); err != nil {
			w.t.Fatal(err)
		}
		if left == 0 {
			return
		}
		c.Add(backoffMax)
	}
	w.t.Fatal("the outbox did not drain in 100 passes")
}
