package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestTransferCard follows one transfer: its card appears once in the
// cashier channel and is edited as the transfer moves, and the client
// hears of each step by DM in their language.
func TestTransferCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second) // the setup's role changes
		if got := e.dc.MemberRoles(string(cashier)); !slices.Contains(got, cashierRole) {
			t.Fatalf("cashier's Discord roles %v, want %s", got, cashierRole)
		}

		tr := e.send(client, "100")
		if n := e.runOnce(); n != 1 {
			t.Fatalf("pass handled %d rows, want the pending notice", n)
		}
		cards := e.dc.Messages(cashierChannel)
		if len(cards) != 1 {
			t.Fatalf("%d messages in the cashier channel, want 1", len(cards))
		}
		card := cards[0]
		if want := fmt.Sprintf("Transferencia #%d", tr.ID); title(card) != want || field(card, "Estado") != "pendiente" ||
			!slices.Equal(buttons(card), []string{"Tomar"}) {
			t.Fatalf("pending card: title %q, status %q, buttons %v; want %q in Spanish with Take", title(card), field(card, "Estado"), buttons(card), want)
		}

		e.take(tr.ID)
		e.runOnce()
		cards = e.dc.Messages(cashierChannel)
		if len(cards) != 1 || cards[0].ID != card.ID || !cards[0].Edited || field(cards[0], "Estado") != "tomada" ||
			!slices.Equal(buttons(cards[0]), []string{"Completar", "Liberar", "Rechazar"}) {
			t.Fatalf("after take: %d messages, first %+v; want the same card edited to taken", len(cards), cards[0])
		}
		dms := e.dc.Messages(e.dc.DMChannel(string(client)))
		if len(dms) != 1 || dms[0].Content != fmt.Sprintf("Un cajero tomó su transferencia #%d y la está pagando.", tr.ID) ||
			len(dms[0].Components) != 0 || field(dms[0], "Estado") != "tomada" {
			t.Fatalf("client DMs after take: %+v", dms)
		}

		e.complete(tr.ID)
		e.runOnce()
		cards = e.dc.Messages(cashierChannel)
		if len(cards) != 1 || cards[0].ID != card.ID || field(cards[0], "Estado") != "completada" || len(buttons(cards[0])) != 0 {
			t.Fatalf("after complete: %d messages, first %+v; want the same card, completed, without buttons", len(cards), cards[0])
		}
		dms = e.dc.Messages(e.dc.DMChannel(string(client)))
		if len(dms) != 2 || dms[1].Content != fmt.Sprintf("Su transferencia #%d fue completada.", tr.ID) {
			t.Fatalf("client DMs after complete: %+v", dms)
		}
		if posts := e.succeeded("POST", "/channels/"+cashierChannel+"/messages"); len(posts) != 1 {
			t.Fatalf("%d messages posted to the cashier channel, want 1 (then edits)", len(posts))
		}
		if got := e.metric("cambista_outbox_delivered_total", app.KindNotice); got != 3 {
			t.Fatalf("delivered notices = %v, want 3", got)
		}
		if got := e.metric("cambista_outbox_lag_seconds", ""); got != 0 {
			t.Fatalf("lag with an empty queue = %v", got)
		}

		t.Run("English", func(t *testing.T) {
			tr := e.send(clientEN, "50")
			e.take(tr.ID)
			e.drain(3, time.Second)
			dms := e.dc.Messages(e.dc.DMChannel(string(clientEN)))
			if len(dms) != 1 || dms[0].Content != fmt.Sprintf("A cashier took your transfer #%d and is paying it.", tr.ID) ||
				title(dms[0]) != fmt.Sprintf("Transfer #%d", tr.ID) || field(dms[0], "Status") != "taken" {
				t.Fatalf("English client's DMs: %+v", dms)
			}
		})

		t.Run("DeletedCardIsPostedAgain", func(t *testing.T) {
			tr := e.send(client, "20")
			e.runOnce()
			first := e.dc.Messages(cashierChannel)
			last := first[len(first)-1]
			must(struct{}{}, e.dg.ChannelMessageDelete(cashierChannel, last.ID))
			e.take(tr.ID)
			e.drain(3, time.Second)
			cards := e.dc.Messages(cashierChannel)
			now := cards[len(cards)-1]
			if len(cards) != len(first) || now.ID == last.ID || title(now) != title(last) || field(now, "Estado") != "tomada" {
				t.Fatalf("after deleting the card and taking the transfer: %d cards (was %d), last %q %q", len(cards), len(first), title(now), field(now, "Estado"))
			}
			if ref := must(e.svc.MessageRef(system(), "transfer", tr.ID, cashierChannel)); ref != now.ID {
				t.Fatalf("message ref %q, want the new card %q", ref, now.ID)
			}
		})
	})
}

// TestBlockedDMs: a client who refuses DMs does not hold up the queue; the
// row is delivered with a note, and later rows go through.
func TestBlockedDMs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		e.dc.BlockDMs(string(client))
		blocked := e.send(client, "100")
		e.take(blocked.ID)
		open := e.send(clientEN, "100")
		e.take(open.ID)
		if passes := e.drain(1, time.Second); passes != 1 {
			t.Fatalf("took %d passes", passes)
		}
		if dms := e.dc.Messages(e.dc.DMChannel(string(client))); len(dms) != 0 {
			t.Fatalf("blocked client got DMs: %+v", dms)
		}
		if dms := e.dc.Messages(e.dc.DMChannel(string(clientEN))); len(dms) != 1 {
			t.Fatalf("the next client got %d DMs, want 1", len(dms))
		}
		if got := e.metric("cambista_outbox_given_up_total", app.KindNotice); got != 0 {
			t.Fatalf("given up = %v, want 0", got)
		}
		// New together, the two share a queue card.
		cards := e.dc.Messages(cashierChannel)
		for _, tr := range []*cambista.Transfer{blocked, open} {
			if m, st := shown(cards, tr.ID); len(cards) != 1 || m.ID != cards[0].ID || st != "tomada" {
				t.Fatalf("cashier channel: %d messages, transfer %d in %q as %q; want one queue card, both taken", len(cards), tr.ID, m.ID, st)
			}
		}
		var lastErr string
		if err := st.DB().QueryRow(`SELECT last_error FROM outbox WHERE payload LIKE '%"transfer.taken"%' AND payload LIKE $1`,
			fmt.Sprintf(`%%"id":%d,%%`, blocked.ID)).Scan(&lastErr); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(lastErr, "50007") {
			t.Fatalf("blocked DM's row: last_error %q, want Discord's 50007 noted", lastErr)
		}
	})
}

// TestRoles: granting and removing a mapped app role changes the member's
// Discord role; an unmapped one changes nothing and is still delivered.
func TestRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		if got := e.dc.MemberRoles(string(other)); len(got) != 0 {
			t.Fatalf("roles before: %v", got)
		}
		must(e.svc.AssignRole(e.as(boot), "", app.RoleChange{UserID: other, Role: cambista.RoleCashier}))
		e.drain(1, time.Second)
		if got := e.dc.MemberRoles(string(other)); !slices.Equal(got, []string{cashierRole}) {
			t.Fatalf("after grant: %v, want [%s]", got, cashierRole)
		}
		must(e.svc.RemoveRole(e.as(boot), "", app.RoleChange{UserID: other, Role: cambista.RoleCashier}))
		e.drain(1, time.Second)
		if got := e.dc.MemberRoles(string(other)); len(got) != 0 {
			t.Fatalf("after removal: %v, want none", got)
		}
		calls := len(e.dc.Calls())
		delivered := e.metric("cambista_outbox_delivered_total", app.KindRole)
		must(e.svc.AssignRole(e.as(boot), "", app.RoleChange{UserID: other, Role: cambista.RoleAgent}))
		e.drain(1, time.Second)
		if got := len(e.dc.Calls()); got != calls {
			t.Fatalf("an unmapped role made %d calls to Discord", got-calls)
		}
		if got := e.metric("cambista_outbox_delivered_total", app.KindRole); got != delivered+1 {
			t.Fatalf("delivered role rows %v, want %v", got, delivered+1)
		}
	})
}

// TestFaults is R4's delivery half: with the fake answering 30 % of calls
// with 429 or 500, every card, edit, DM and role change arrives exactly
// once after enough passes (edits of one card waiting together, once).
func TestFaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{BatchSize: 5})
		e.dc.SetFaults(discordtest.Faults{Rate: 0.3, Statuses: []int{http.StatusTooManyRequests, http.StatusInternalServerError}, Seed: 7, RetryAfter: 20 * time.Millisecond})

		var transfers []*cambista.Transfer
		for i, who := range []cambista.UserID{client, clientEN, client, clientEN, client} {
			tr := e.send(who, fmt.Sprint(10+i))
			e.take(tr.ID)
			if i%2 == 0 {
				e.complete(tr.ID)
			}
			transfers = append(transfers, tr)
		}
		must(e.svc.AssignRole(e.as(boot), "", app.RoleChange{UserID: other, Role: cambista.RoleCashier}))
		e.drain(200, 6*time.Minute)
		e.dc.SetFaults(discordtest.Faults{})

		if got := e.metric("cambista_outbox_retries_total", app.KindNotice); got == 0 {
			t.Fatal("no retries: the faults did not bite")
		}
		if got := e.metric("cambista_outbox_given_up_total", app.KindNotice) + e.metric("cambista_outbox_given_up_total", app.KindRole); got != 0 {
			t.Fatalf("%v rows given up", got)
		}
		// Each transfer shows once, in its card or a queue card's line;
		// each message is posted once, and notices of one message waiting
		// together make one edit.
		cards := e.dc.Messages(cashierChannel)
		wantDMs := map[cambista.UserID]int{}
		maxEdits := map[string]int{}
		for i, tr := range transfers {
			m, got := shown(cards, tr.ID)
			if m.ID == "" {
				t.Fatalf("transfer %d shown nowhere", tr.ID)
			}
			status, edits := "tomada", 1
			if i%2 == 0 {
				status, edits = "completada", 2
			}
			if got != status {
				t.Errorf("transfer %d is %q, want %q", tr.ID, got, status)
			}
			maxEdits[m.ID] += edits
			wantDMs[tr.ClientID] += edits
		}
		for id, edits := range maxEdits {
			if got := len(e.succeeded("PATCH", "/channels/"+cashierChannel+"/messages/"+id)); got > edits {
				t.Errorf("message %s edited %d times, want at most %d", id, got, edits)
			}
		}
		if got := len(e.succeeded("POST", "/channels/"+cashierChannel+"/messages")); got != len(cards) {
			t.Errorf("%d messages posted, %d in the channel", got, len(cards))
		}
		for who, want := range wantDMs {
			if got := len(e.dc.Messages(e.dc.DMChannel(string(who)))); got != want {
				t.Errorf("%s got %d DMs, want %d", who, got, want)
			}
		}
		for _, who := range []cambista.UserID{cashier, other} {
			if got := e.dc.MemberRoles(string(who)); !slices.Equal(got, []string{cashierRole}) {
				t.Errorf("%s has Discord roles %v", who, got)
			}
			if got := len(e.succeeded("PUT", "/guilds/"+discordtest.GuildID+"/members/"+string(who)+"/roles/")); got != 1 {
				t.Errorf("%s's role added %d times, want 1", who, got)
			}
		}
	})
}

// TestRateLimit: a 429 that reaches the worker is retried no sooner than
// Discord's retry_after.
func TestRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{BackoffBase: time.Millisecond})
		e.drain(5, time.Second)
		e.dc.SetFaults(discordtest.Faults{RetryAfter: time.Second})
		e.send(client, "100")
		e.dc.FailNext(1, http.StatusTooManyRequests)
		failedAt := e.clock.Now()
		e.runOnce()
		if got := e.metric("cambista_outbox_retries_total", app.KindNotice); got != 1 {
			t.Fatalf("retries = %v, want 1", got)
		}
		var runAt int64
		if err := st.DB().QueryRow(`SELECT run_at FROM outbox WHERE delivered_at IS NULL`).Scan(&runAt); err != nil {
			t.Fatal(err)
		}
		if due := cambista.FromMicros(runAt); due.Before(failedAt.Add(time.Second)) {
			t.Fatalf("retry due %v after the 429, want at least retry_after (1s)", due.Sub(failedAt))
		}
		if n := e.runOnce(); n != 0 {
			t.Fatalf("retried %d rows before retry_after", n)
		}
		// The channel's bucket stays aside until retry_after has passed in
		// Discord's time too: until then the row comes back, unattempted.
		e.clock.Advance(time.Second)
		e.waitFor("the card after retry_after", func() bool {
			e.runOnce()
			e.clock.Advance(100 * time.Millisecond)
			return len(e.dc.Messages(cashierChannel)) == 1
		})
		if got := e.metric("cambista_outbox_retries_total", app.KindNotice); got != 1 {
			t.Fatalf("retries = %v, want 1: waiting for the bucket is no failure", got)
		}
	})
}

// TestGiveUp: a 4xx other than 429 is given up at once; a row that keeps
// failing with 5xx is retried until the horizon and then given up. Both
// are counted by the alert metric.
func TestGiveUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{Horizon: time.Hour, BackoffMax: 10 * time.Minute})
		e.drain(5, time.Second)
		givenUp := func() float64 { return e.metric("cambista_outbox_given_up_total", app.KindNotice) }

		e.dc.SetFaults(discordtest.Faults{Rate: 1, Statuses: []int{http.StatusForbidden}})
		e.send(client, "100")
		e.runOnce()
		if got := givenUp(); got != 1 || e.pending() != 0 {
			t.Fatalf("after a 403: given up %v, %d pending; want the row given up at once", got, e.pending())
		}

		e.dc.SetFaults(discordtest.Faults{Rate: 1, Statuses: []int{http.StatusInternalServerError}})
		e.send(client, "100")
		e.runOnce()
		e.clock.Advance(30 * time.Minute)
		e.runOnce()
		if got := e.metric("cambista_outbox_retries_total", app.KindNotice); got != 2 {
			t.Fatalf("retries within the horizon = %v, want 2", got)
		}
		if got := givenUp(); got != 1 {
			t.Fatalf("given up within the horizon: %v", got-1)
		}
		if lag := e.metric("cambista_outbox_lag_seconds", ""); lag < 30*60 {
			t.Fatalf("lag = %vs, want at least the 30 minutes the row has waited", lag)
		}
		e.clock.Advance(31 * time.Minute)
		e.runOnce()
		if got := givenUp(); got != 2 {
			t.Fatalf("given up past the horizon = %v, want 2", got)
		}
		if e.pending() != 0 || e.metric("cambista_outbox_lag_seconds", "") != 0 {
			t.Fatalf("after giving up: %d pending, lag %v", e.pending(), e.metric("cambista_outbox_lag_seconds", ""))
		}
		var attempts int
		var lastErr string
		if err := st.DB().QueryRow(`SELECT attempts, last_error FROM outbox WHERE given_up_at IS NOT NULL ORDER BY id DESC LIMIT 1`).Scan(&attempts, &lastErr); err != nil {
			t.Fatal(err)
		}
		if attempts != 2 || !strings.Contains(lastErr, "500") {
			t.Fatalf("given-up row: %d attempts, last_error %q", attempts, lastErr)
		}
	})
}

// TestRun: Run delivers what is due as soon as it starts, then what
// arrives while it polls, and returns when its context ends.
func TestRun(t *testing.T) {
	st := storetest.Open(t, "sqlite", store.Options{})
	e := newEnv(t, st, jobs.Config{})
	wait := func(cards int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.dc.Wait(ctx, func() bool { return len(e.dc.Messages(cashierChannel)) == cards }); err != nil {
			t.Fatalf("waiting for %d cards: %v", cards, err)
		}
	}
	run := func(w *jobs.Worker) (stop func()) {
		ctx, cancel := context.WithCancel(system())
		done := make(chan struct{})
		go func() {
			w.Run(ctx)
			close(done)
		}()
		return func() {
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after its context ended")
			}
		}
	}

	// Polling once an hour, only the pass at start can deliver this.
	e.send(client, "100")
	stop := run(jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour}, nil, nil))
	wait(1)
	stop()

	stop = run(jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: 10 * time.Millisecond}, nil, nil))
	defer stop()
	e.send(clientEN, "100")
	wait(2)
}

// TestRunsAsSystem: a worker whose context does not carry the system
// refuses to run, rather than give every row up as forbidden.
func TestRunsAsSystem(t *testing.T) {
	st := storetest.Open(t, "sqlite", store.Options{})
	e := newEnv(t, st, jobs.Config{})
	waiting := e.pending()
	if _, err := e.w.RunOnce(context.Background()); err == nil {
		t.Fatal("a worker acting as nobody ran")
	}
	if e.pending() != waiting || waiting == 0 {
		t.Fatalf("%d rows waiting after the refused pass, %d before", e.pending(), waiting)
	}
	e.drain(5, time.Second)
}

// TestProfileRoles: choosing a country and a user type gives the member
// the guild roles named after them, and changing them moves the roles.
func TestProfileRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.dc.AddRole("7001", "Venezuela")
		e.dc.AddRole("7002", "us")
		e.dc.AddRole("7003", "Agente")
		e.dc.AddRole("7004", "cliente")
		e.drain(5, time.Second)
		ve, agent := "VE", cambista.UserTypeAgent
		must(e.svc.UpdateProfile(e.as(other), "", app.Profile{Country: &ve}))
		e.drain(2, time.Second)
		if got := e.dc.MemberRoles(string(other)); !sameSet(got, []string{"7001", "7004"}) {
			t.Fatalf("after choosing VE: %v", got)
		}
		us := "US"
		must(e.svc.UpdateProfile(e.as(other), "", app.Profile{Country: &us}))
		must(e.svc.UpdateProfile(e.as(boot), "", app.Profile{UserID: other, Type: &agent}))
		e.drain(3, time.Second)
		if got := e.dc.MemberRoles(string(other)); !sameSet(got, []string{"7002", "7003"}) {
			t.Fatalf("after choosing US and agent: %v", got)
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestWelcomePanel: setting the welcome channel posts the registration
// panel there, once, and setting it again edits it.
func TestWelcomePanel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		const welcome = "7777"
		for range 2 {
			must(e.svc.ConfigureChannel(e.as(boot), "", app.ChannelSetting{Kind: app.ChannelWelcome, ChannelID: welcome}))
			e.drain(5, time.Second)
		}
		ms := e.dc.Messages(welcome)
		if len(ms) != 1 || !slices.Equal(buttons(ms[0]), []string{"Registrarme"}) {
			t.Fatalf("welcome channel: %d messages, buttons %v", len(ms), buttons(ms[0]))
		}
	})
}
