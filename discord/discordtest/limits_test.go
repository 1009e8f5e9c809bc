package discordtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista/discord/discordtest"
)

// call sends one REST call straight to the fake, as the bot would.
func call(t *testing.T, fake *discordtest.Server, method, path, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, fake.APIURL()+strings.TrimPrefix(path, "/"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bot "+discordtest.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// TestRateLimits: the fake answers a call beyond a route's bucket (per
// channel) or the global limit with 429, retry_after and Discord's
// headers, and the call changes nothing; interaction responses are not
// counted globally.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	t.Run("Route", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.WithRateLimits(discordtest.DiscordLimits))
		for i := range 5 {
			resp, _ := call(t, fake, "POST", "/channels/801/messages", `{"content":"x"}`)
			if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Remaining") != fmt.Sprint(4-i) || resp.Header.Get("X-RateLimit-Limit") != "5" {
				t.Fatalf("call %d: %d, remaining %q", i, resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
			}
		}
		resp, body := call(t, fake, "POST", "/channels/801/messages", `{"content":"x"}`)
		h := resp.Header
		if resp.StatusCode != 429 || body["retry_after"].(float64) <= 0 || body["global"] != false || h.Get("Retry-After") == "" ||
			h.Get("X-RateLimit-Scope") != "user" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Bucket") == "" {
			t.Fatalf("6th message in 5 s: %d %v %v", resp.StatusCode, body, h)
		}
		if n := len(fake.Messages("801")); n != 5 {
			t.Fatalf("%d messages, want the 5 allowed", n)
		}
		if resp, _ := call(t, fake, "POST", "/channels/802/messages", `{"content":"x"}`); resp.StatusCode != 200 {
			t.Fatalf("another channel's bucket: %d", resp.StatusCode)
		}
		if got := fake.RateLimited(); len(got) != 1 || !strings.HasSuffix(got[0].Bucket, "|801") {
			t.Fatalf("limited %v, want one 429 in channel 801's bucket", got)
		}
	})
	t.Run("Global", func(t *testing.T) {
		fake := discordtest.New(t, discordtest.WithRateLimits(discordtest.RateLimits{Global: 3, Default: discordtest.RouteLimit{Limit: 100, Per: time.Second}}))
		for i := range 3 {
			if resp, _ := call(t, fake, "GET", "/users/@me", ""); resp.StatusCode != 200 {
				t.Fatalf("call %d within the global limit: %d", i, resp.StatusCode)
			}
		}
		resp, body := call(t, fake, "GET", "/users/@me", "")
		if resp.StatusCode != 429 || body["global"] != true || resp.Header.Get("X-RateLimit-Global") != "true" || resp.Header.Get("X-RateLimit-Scope") != "global" {
			t.Fatalf("4th call in a second: %d %v %v", resp.StatusCode, body, resp.Header)
		}
		// Exempt: reaches the handler (which knows no such interaction).
		if resp, _ := call(t, fake, "POST", "/interactions/1/tok/callback", `{"type":1}`); resp.StatusCode == 429 {
			t.Fatal("an interaction response was counted against the global limit")
		}
	})
}

// TestLimiterKeepsWithinLimits: a session's calls wait for their bucket and
// the global budget instead of meeting 429s: messages to one channel beyond
// its bucket, and more calls in a second than the global limit, all go
// through with no 429 beyond the first call of each bucket (which tells
// the session the bucket's size).
func TestLimiterKeepsWithinLimits(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.WithRateLimits(discordtest.DiscordLimits))
	dg := MustSession(t, fake)
	for i := range 7 {
		if _, err := dg.ChannelMessageSend("803", fmt.Sprint(i), discordgo.WithRetryOnRatelimit(false)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 80)
	for i := range 80 {
		wg.Go(func() {
			_, err := dg.ChannelMessageSend(fmt.Sprint(900+i), "x", discordgo.WithRetryOnRatelimit(false))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.RateLimited(); len(got) != 0 {
		t.Fatalf("429s: %v", got)
	}
}
