package main

import (
	"context"
	"database/sql"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
)

const (
	welcomeChannel = "900000000000000001"
	adminChannel   = "900000000000000002"
	superuser      = cambista.UserID("111")
)

// TestSIGTERMDuringDelivery runs the cambista binary against a fake Discord
// and sends it SIGTERM while Discord has taken a card and not yet answered.
// The delivery finishes before cambista exits: the card is posted once and
// its row is marked delivered, and cambista started again on the same
// database, after the row's lease would have ended, does not send it again.
func TestSIGTERMDuringDelivery(t *testing.T) {
	bin := buildBinary(t)
	for dialect, dsn := range dsns(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			fake := discordtest.New(t)
			env := []string{
				"CAMBISTA_DB=" + dsn,
				"CAMBISTA_HTTP_ADDR=127.0.0.1:0",
				"CAMBISTA_LOG_LEVEL=debug",
				"CAMBISTA_BOOTSTRAP_SUPERUSER=" + string(superuser),
				"CAMBISTA_DISCORD_TOKEN=" + discordtest.Token,
				"CAMBISTA_DISCORD_APP_ID=" + discordtest.AppID,
				"CAMBISTA_DISCORD_GUILD_ID=" + discordtest.GuildID,
				"CAMBISTA_DISCORD_API_URL=" + fake.APIURL(),
			}
			first := startBinary(ctx, t, bin, env)
			svc, as := business(ctx, t, dsn)
			ok := func(_ any, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			ok(svc.ConfigureChannel(as, "", app.ChannelSetting{Kind: app.ChannelAdmin, ChannelID: adminChannel}))
			ok(svc.AddCurrency(as, "", app.AddCurrency{Code: "USD", Exponent: 2, Name: "US dollar"}))

			// Discord takes the welcome card and holds its answer.
			release := fake.Hold("POST", "/channels/"+welcomeChannel+"/")
			ok(svc.ConfigureChannel(as, "", app.ChannelSetting{Kind: app.ChannelWelcome, ChannelID: welcomeChannel}))
			if err := fake.Wait(ctx, func() bool { return fake.Held() == 1 }); err != nil {
				t.Fatalf("the welcome card was not sent: %v\n%s", err, first.logs)
			}
			if err := first.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := first.logs.WaitFor(ctx, `"message":"stopping","service.name":"cambista","part":"outbox worker"`); err != nil {
				t.Fatalf("%v\n%s", err, first.logs)
			}
			db := open(t, dsn)
			if n := undelivered(t, db); n != 1 {
				t.Fatalf("%d notices undelivered when the worker was asked to stop, want the one in flight", n)
			}
			release()
			first.wait(t)
			if n := undelivered(t, db); n != 0 {
				t.Fatalf("%d notices undelivered after SIGTERM\n%s", n, first.logs)
			}
			if n := len(fake.Messages(welcomeChannel)); n != 1 {
				t.Fatalf("%d welcome cards after SIGTERM, want 1", n)
			}

			// Started again after the lease: an undelivered row would be due.
			if _, err := db.Exec(`UPDATE outbox SET run_at = 0 WHERE delivered_at IS NULL`); err != nil {
				t.Fatal(err)
			}
			second := startBinary(ctx, t, bin, env)
			// A later notice delivered shows that the worker has passed over
			// every row before it.
			ok(svc.RequestAccount(as, "", "USD"))
			if err := fake.Wait(ctx, func() bool { return len(fake.Messages(adminChannel)) == 1 }); err != nil {
				t.Fatalf("the account request was not delivered: %v\n%s", err, second.logs)
			}
			if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			second.wait(t)
			if n := len(fake.CallsTo("POST", "/channels/"+welcomeChannel+"/")); n != 1 {
				t.Fatalf("the welcome card was posted %d times, want 1", n)
			}
		})
	}
}

// undelivered counts the notices neither delivered nor given up.
func undelivered(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'notice' AND delivered_at IS NULL AND given_up_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// binary is a cambista process.
type binary struct {
	cmd  *exec.Cmd
	logs *syncBuffer
}

// startBinary starts "cambista serve" and waits until it listens.
func startBinary(ctx context.Context, t testing.TB, bin string, env []string) *binary {
	t.Helper()
	b := &binary{cmd: exec.Command(bin, "serve"), logs: &syncBuffer{}}
	b.cmd.Env = env
	b.cmd.Stderr = b.logs
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b.cmd.ProcessState == nil {
			b.cmd.Process.Kill()
			b.cmd.Wait()
		}
	})
	if err := b.logs.WaitFor(ctx, `"message":"listening"`); err != nil {
		t.Fatalf("%v\n%s", err, b.logs)
	}
	return b
}

// wait waits for the process to exit, and fails the test unless it
// exited 0.
func (b *binary) wait(t *testing.T) {
	t.Helper()
	if err := b.cmd.Wait(); err != nil {
		t.Fatalf("cambista exited: %v\n%s", err, b.logs)
	}
}

// business opens the database as a second process would, and returns
// the use cases and a context acting as the superuser.
func business(ctx context.Context, t *testing.T, dsn string) (*app.Service, context.Context) {
	t.Helper()
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.New(st, app.Config{Bootstrap: []cambista.UserID{superuser}})
	actor, err := svc.Actor(ctx, superuser, "")
	if err != nil {
		t.Fatal(err)
	}
	return svc, cambista.WithActor(ctx, actor)
}
