package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// feedLines is how many audit lines one message of the log channel
// carries. A line is at most about 125 characters (the longest action,
// entity ID and user ID), so fifteen stay within Discord's 2000.
const feedLines = 15

// auditFeed posts lines claimed by app.ClaimAuditFeed to the log channel,
// as one message. Lines claimed before the channel was unset are dropped.
func (w *Worker) auditFeed(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error {
	var f app.AuditFeed
	if err := json.Unmarshal(m.Payload, &f); err != nil {
		return permanent(fmt.Errorf("audit feed payload: %w", err))
	}
	channel := cfg.Channels[app.ChannelLog]
	if channel == "" {
		w.log.Info("log channel unset; audit lines not posted", "outbox_id", m.ID, "lines", len(f.Lines))
		return nil
	}
	var b strings.Builder
	for _, l := range f.Lines {
		fmt.Fprintf(&b, "`#%d` %s · **%s** · %s %s · <@%s>\n", l.Seq, l.Time.Format("2006-01-02 15:04:05"), l.Action, l.EntityType, l.EntityID, l.Actor)
	}
	_, err := w.send(ctx, channel, &discordgo.MessageSend{
		Content:         b.String(),
		AllowedMentions: &discordgo.MessageAllowedMentions{}, // name people without pinging them
	}, nonce(nonceFeed, m.ID))
	return err
}
