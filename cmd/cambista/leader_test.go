package main

import (
	"bufio"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// tookLead is the log line of a process that takes role's lead.
func tookLead(role string) string {
	return `"message":"took the lead","service.name":"cambista","role":"` + role + `"`
}

// standingBy is the log line of a process that stands by for role.
func standingBy(role string) string {
	return `"message":"standing by: another process leads","service.name":"cambista","role":"` + role + `"`
}

// listening finds the address a process serves HTTP on in its log.
var listening = regexp.MustCompile(`"message":"listening".*?"addr":"(http://[^"]+)"`)

// metric reads the value of the series (name and labels as /metrics
// writes them, such as cambista_leader{role="gateway"}) from the process's
// /metrics, or -1 when the process does not answer.
func (b *binary) metric(t *testing.T, series string) float64 {
	t.Helper()
	m := listening.FindStringSubmatch(b.logs.String())
	if m == nil {
		t.Fatalf("no address in the log\n%s", b.logs)
	}
	resp, err := http.Get(m[1] + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", series, err)
			}
			return f
		}
	}
	t.Fatalf("%s not in /metrics", series)
	return 0
}

// eventually waits until cond holds, asking every 20ms, or fails the test
// when ctx ends.
func eventually(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

const (
	schedulerLeader = `cambista_leader{role="scheduler"}`
	gatewayLeader   = `cambista_leader{role="gateway"}`
	alertChecks     = `cambista_usecase_total{action="alert.check",outcome="ok"}`
)

// TestSchedulerOneLeader runs three cambista processes on one PostgreSQL
// schema. One runs the periodic jobs (its alert checks count up), the
// others stand by and run none. Killed with SIGKILL, the leader is replaced
// by another process, whose first expiry pass expires the transfer that
// waited too long; stopped with SIGTERM, the new leader hands over to the
// last.
func TestSchedulerOneLeader(t *testing.T) {
	if !storetest.HavePostgres() {
		t.Skipf("PostgreSQL tests skipped: set %s (several processes share the database only there)", storetest.PostgresEnv)
	}
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	dsn := storetest.PostgresSchema(t)
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := apptest.Business(t, st)
	env := []string{
		"CAMBISTA_DB=" + dsn,
		"CAMBISTA_HTTP_ADDR=127.0.0.1:0",
		"CAMBISTA_BOOTSTRAP_SUPERUSER=" + string(apptest.Boot),
		"CAMBISTA_DISCORD_MODE=off",
		"CAMBISTA_ALERT_INTERVAL=50ms",
		"CAMBISTA_PENDING_TTL=1h",
	}
	procs := make([]*binary, 3)
	for i := range procs {
		procs[i] = startBinary(ctx, t, bin, env)
	}
	leaders := func(live []*binary) (who []int) {
		for i, p := range live {
			if p.metric(t, schedulerLeader) == 1 {
				who = append(who, i)
			}
		}
		if len(who) > 1 {
			t.Fatalf("processes %v lead the scheduler at once", who)
		}
		return who
	}
	// One leads and checks, again and again; the others stood by (they
	// found the lock held) and never checked.
	var first int
	eventually(ctx, t, "a scheduler that checks the alerts", func() bool {
		who := leaders(procs)
		if len(who) == 1 {
			first = who[0]
		}
		return len(who) == 1 && procs[first].metric(t, alertChecks) >= 3
	})
	rest := make([]*binary, 0, 2)
	for i, p := range procs {
		if i != first {
			if err := p.logs.WaitFor(ctx, standingBy(roleScheduler)); err != nil {
				t.Fatalf("%v\n%s", err, p.logs)
			}
			rest = append(rest, p)
		}
	}
	leaders(procs)
	for _, p := range rest {
		if n := p.metric(t, alertChecks); n != 0 {
			t.Fatalf("a process standing by checked the alerts %v times", n)
		}
	}

	// A transfer waits past CAMBISTA_PENDING_TTL; the leader's next expiry
	// pass is a minute away when it is killed.
	tr := e.Send(apptest.Client, "10")
	if _, err := st.DB().ExecContext(ctx, `UPDATE transfers SET created_at = created_at - $1 WHERE id = $2`,
		(2 * time.Hour).Microseconds(), int64(tr.ID)); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	procs[first].cmd.Process.Kill()
	procs[first].cmd.Wait()
	var second int
	eventually(ctx, t, "a new scheduler", func() bool {
		who := leaders(rest)
		if len(who) == 1 {
			second = who[0]
		}
		return len(who) == 1
	})
	t.Logf("the scheduler was taken over %v after the leader was killed", time.Since(killed).Round(time.Millisecond))
	eventually(ctx, t, "the new scheduler's expiry pass", func() bool {
		got, err := e.Svc.Transfer(e.As(apptest.Client), tr.ID)
		return err == nil && got.Status == cambista.TransferExpired
	})
	eventually(ctx, t, "the new scheduler's alert checks", func() bool { return rest[second].metric(t, alertChecks) >= 1 })
	last := rest[1-second]
	if n := last.metric(t, alertChecks); n != 0 || last.metric(t, schedulerLeader) != 0 {
		t.Fatalf("the process still standing by checked the alerts %v times", n)
	}

	// Stopped, the leader lets the lock go at once.
	if err := rest[second].cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest[second].wait(t)
	if err := last.logs.WaitFor(ctx, tookLead(roleScheduler)); err != nil {
		t.Fatalf("%v\n%s", err, last.logs)
	}
	eventually(ctx, t, "the last scheduler's alert checks", func() bool { return last.metric(t, alertChecks) >= 1 })
}

// TestGatewayOneSession runs two cambista processes in gateway mode on one
// PostgreSQL schema against a fake Discord. One opens the gateway session,
// the other stands by without one, and an interaction is answered once.
// Killed with SIGKILL, the holder is replaced by the other process, which
// opens a session within seconds and answers the next interaction, once.
// When PostgreSQL ends the new holder's lock session, it closes its gateway
// session, takes the lead again (no one else contends) and opens a new
// one. The fake never sees two sessions at a time.
func TestGatewayOneSession(t *testing.T) {
	if !storetest.HavePostgres() {
		t.Skipf("PostgreSQL tests skipped: set %s (several processes share the database only there)", storetest.PostgresEnv)
	}
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	fake := discordtest.New(t)
	const member, channel = "1000", "920000000000000001"
	fake.AddMember(member, "cliente")
	dsn := storetest.PostgresSchema(t)
	env := []string{
		"CAMBISTA_DB=" + dsn,
		"CAMBISTA_HTTP_ADDR=127.0.0.1:0",
		"CAMBISTA_BOOTSTRAP_SUPERUSER=" + string(superuser),
		"CAMBISTA_DISCORD_TOKEN=" + discordtest.Token,
		"CAMBISTA_DISCORD_APP_ID=" + discordtest.AppID,
		"CAMBISTA_DISCORD_GUILD_ID=" + discordtest.GuildID,
		"CAMBISTA_DISCORD_API_URL=" + fake.APIURL(),
	}
	holder := startBinary(ctx, t, bin, env)
	if err := holder.logs.WaitFor(ctx, tookLead(roleGateway)); err != nil {
		t.Fatalf("%v\n%s", err, holder.logs)
	}
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatalf("no gateway session: %v\n%s", err, holder.logs)
	}
	standby := startBinary(ctx, t, bin, env)
	if err := standby.logs.WaitFor(ctx, standingBy(roleGateway)); err != nil {
		t.Fatalf("%v\n%s", err, standby.logs)
	}
	if holder.metric(t, gatewayLeader) != 1 || standby.metric(t, gatewayLeader) != 0 {
		t.Fatal("the gateway's leader is not the one holding the session")
	}
	// answered sends a command through the gateway and waits for its
	// answer; answers counts them.
	var sent []string
	answered := func(who *binary) {
		t.Helper()
		i := fake.Command(member, channel, discordgo.ApplicationCommandInteractionData{Name: "saldo"})
		if _, err := fake.WaitResponse(ctx, i.ID); err != nil {
			t.Fatalf("the interaction was not answered: %v\n%s", err, who.logs)
		}
		sent = append(sent, i.ID)
	}
	answered(holder)
	if n := len(fake.Received(discordtest.OpIdentify)); n != 1 {
		t.Fatalf("%d gateway sessions identified with a process standing by, want 1", n)
	}

	killed := time.Now()
	holder.cmd.Process.Kill()
	holder.cmd.Wait()
	if err := standby.logs.WaitFor(ctx, tookLead(roleGateway)); err != nil {
		t.Fatalf("%v\n%s", err, standby.logs)
	}
	if err := fake.Wait(ctx, func() bool { return len(fake.Received(discordtest.OpIdentify)) == 2 && fake.Connected() }); err != nil {
		t.Fatalf("the stand-by opened no session: %v\n%s", err, standby.logs)
	}
	t.Logf("the gateway session was taken over %v after its holder was killed", time.Since(killed).Round(time.Millisecond))
	if standby.metric(t, gatewayLeader) != 1 {
		t.Fatal("the new holder does not report its lead")
	}
	answered(standby)

	db := open(t, dsn)
	pid := storetest.LeaderSession(t, db, dsn, roleGateway)
	if _, err := db.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	if err := standby.logs.WaitFor(ctx, `"message":"lost the lead: the lock's database session is gone; stopping the leader's work","service.name":"cambista","role":"gateway"`); err != nil {
		t.Fatalf("%v\n%s", err, standby.logs)
	}
	if err := fake.Wait(ctx, func() bool { return len(fake.Received(discordtest.OpIdentify)) == 3 && fake.Connected() }); err != nil {
		t.Fatalf("no new session after the lead was lost: %v\n%s", err, standby.logs)
	}
	answered(standby)
	if err := standby.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	standby.wait(t)
	// Each interaction reached one session, so one process answered it.
	if n := fake.MostLive(); n != 1 {
		t.Fatalf("the fake saw %d gateway sessions at once, want 1", n)
	}
	for _, id := range sent {
		if n := len(fake.CallsTo("POST", "/interactions/"+id+"/")); n != 1 {
			t.Fatalf("interaction %s was answered %d times, want once", id, n)
		}
	}
}
