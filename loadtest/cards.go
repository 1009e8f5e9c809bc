package loadtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista/discord/discordtest"
)

// takeAt is where a cashier takes a transfer: a message of the cashier
// channel, and the component and value that take it there.
type takeAt struct {
	message, customID string
	values            []string
}

// cardIndex knows, for each pending transfer shown in the cashier channel,
// where to take it. It reads each message once, when it first sees it (a
// card offers what it offers from its creation), and reads the channel
// again at most every refreshEvery however many lifecycles wait: the
// fake's Messages copies the channel.
type cardIndex struct {
	mu   sync.Mutex
	at   map[string]takeAt
	read map[string]bool
	last time.Time
}

const refreshEvery = 20 * time.Millisecond

// card waits until the transfer shows in the cashier channel and returns
// where to take it.
func (d *Driver) card(ctx context.Context, tr string) (takeAt, error) {
	var at takeAt
	err := d.Fake.Wait(ctx, func() bool {
		var ok bool
		at, ok = d.cards.lookup(d.Fake, tr)
		return ok
	})
	if err != nil {
		return takeAt{}, fmt.Errorf("no card offers transfer %s: %w", tr, err)
	}
	return at, nil
}

func (c *cardIndex) lookup(fake *discordtest.Server, tr string) (takeAt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at, ok := c.at[tr]; ok {
		return at, true
	}
	if time.Since(c.last) < refreshEvery {
		return takeAt{}, false
	}
	c.last = time.Now()
	if c.at == nil {
		c.at, c.read = map[string]takeAt{}, map[string]bool{}
	}
	for _, m := range fake.Messages(CashierChannel) {
		if c.read[m.ID] {
			continue
		}
		c.read[m.ID] = true
		eachComponent(m.Components, func(x discordgo.MessageComponent) {
			switch x := x.(type) {
			case *discordgo.SelectMenu:
				for _, o := range x.Options {
					c.at[o.Value] = takeAt{m.ID, x.CustomID, []string{o.Value}}
				}
			case *discordgo.Button:
				if id, ok := strings.CutPrefix(x.CustomID, "take:"); ok {
					c.at[id] = takeAt{message: m.ID, customID: x.CustomID}
				}
			}
		})
	}
	at, ok := c.at[tr]
	return at, ok
}

// eachComponent calls fn with each component inside the rows, as pointers.
func eachComponent(rows []discordgo.MessageComponent, fn func(discordgo.MessageComponent)) {
	for _, r := range rows {
		var inner []discordgo.MessageComponent
		switch r := r.(type) {
		case *discordgo.ActionsRow:
			inner = r.Components
		case discordgo.ActionsRow:
			inner = r.Components
		}
		for _, x := range inner {
			switch x := x.(type) {
			case discordgo.SelectMenu:
				fn(&x)
			case discordgo.Button:
				fn(&x)
			default:
				fn(x)
			}
		}
	}
}

// shownIn finds a transfer's title, in either language: batches and
// deposits have cards in the channel too.
var shownIn = regexp.MustCompile(`^Transfer(?:encia)? #(\d+)\b`)

// Shown returns, for each transfer shown in the cashier channel, how many
// messages show it: its own card or a queue card's line, each once.
func Shown(fake *discordtest.Server) map[string]int {
	out := map[string]int{}
	for _, m := range fake.Messages(CashierChannel) {
		seen := map[string]bool{}
		for _, e := range m.Embeds {
			// A card's title names its transfer; a queue card's lines, each
			// a field, name theirs.
			names := []string{e.Title}
			for _, f := range e.Fields {
				names = append(names, f.Name)
			}
			for _, n := range names {
				if x := shownIn.FindStringSubmatch(n); x != nil && !seen[x[1]] {
					seen[x[1]] = true
					out[x[1]]++
				}
			}
		}
	}
	return out
}
