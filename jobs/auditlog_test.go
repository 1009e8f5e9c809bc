package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

const logChannel = "8888"

// logSeqs returns the sequence numbers of the audit lines in the log
// channel, in the order people read them.
func (e *env) logSeqs() []int64 {
	var out []int64
	for _, m := range e.dc.Messages(logChannel) {
		for _, match := range logLine.FindAllStringSubmatch(m.Content, -1) {
			seq, _ := strconv.ParseInt(match[1], 10, 64)
			out = append(out, seq)
		}
	}
	return out
}

var logLine = regexp.MustCompile("(?m)^`#(\\d+)` ")

// TestLogFeedTwoWorkers: two workers on one database, both feeding the log
// channel at once, post every audit event there exactly once, in order.
func TestLogFeedTwoWorkers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		for i := range 40 { // events for several messages
			must(e.svc.SetRate(e.as(boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: fmt.Sprintf("40.%02d", i)}))
		}
		must(e.svc.ConfigureChannel(e.as(boot), "", app.ChannelSetting{Kind: app.ChannelLog, ChannelID: logChannel}))
		total := must(app.VerifyAudit(context.Background(), st))

		ctx, stop := context.WithCancel(system())
		var running sync.WaitGroup
		for range 2 {
			w := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Millisecond}, nil, nil)
			running.Go(func() { w.Run(ctx) })
		}
		wait, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := e.dc.Wait(wait, func() bool { return int64(len(e.logSeqs())) >= total })
		stop()
		running.Wait()
		if err != nil {
			t.Fatalf("%d of %d audit lines posted: %v", len(e.logSeqs()), total, err)
		}
		if got := e.logSeqs(); !slices.Equal(got, upTo(total)) {
			t.Fatalf("the log channel shows events %v, want 1 to %d once each", got, total)
		}
	})
}

// upTo returns 1, 2, … n.
func upTo(n int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}

// TestLogFeed: nothing is claimed while the log channel is unset; lines
// wait to fill a message unless they are old enough; while
// Discord refuses a message of lines, no more are claimed; once Discord
// takes it, every line arrives once and in order.
func TestLogFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		ctx := context.Background()
		if n := must(e.svc.ClaimAuditFeed(ctx, 10, 0)); n != 0 {
			t.Fatalf("claimed %d lines with no log channel", n)
		}
		must(e.svc.ConfigureChannel(e.as(boot), "", app.ChannelSetting{Kind: app.ChannelLog, ChannelID: logChannel}))
		total := must(app.VerifyAudit(ctx, st))
		// Lines gather into full messages: too few, and too young, wait.
		if n := must(e.svc.ClaimAuditFeed(ctx, int(total)+1, time.Hour)); n != 0 {
			t.Fatalf("claimed %d young lines for a message of %d", n, total+1)
		}
		if n := must(e.svc.ClaimAuditFeed(ctx, 10, time.Hour)); n != 10 || total <= 10 {
			t.Fatalf("claimed %d lines of %d, want 10", n, total)
		}
		e.dc.FailNext(1, http.StatusInternalServerError)
		e.runOnce()
		if n := must(e.svc.ClaimAuditFeed(ctx, 10, 0)); n != 0 {
			t.Fatalf("claimed %d more lines while the first wait for Discord", n)
		}
		for posted := int64(10); posted < total; {
			e.drain(5, time.Minute)
			n := must(e.svc.ClaimAuditFeed(ctx, 10, 0))
			if n == 0 {
				t.Fatalf("the feed stopped after %d of %d lines", posted, total)
			}
			posted += int64(n)
		}
		e.drain(5, time.Minute)
		if n := must(e.svc.ClaimAuditFeed(ctx, 10, 0)); n != 0 {
			t.Fatalf("claimed %d lines again", n)
		}
		if got := e.logSeqs(); !slices.Equal(got, upTo(total)) {
			t.Fatalf("the log channel shows events %v, want 1 to %d once each", got, total)
		}
	})
}
