package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// logCursor is the setting that remembers the last audit event posted to
// the log channel.
const logCursor = "discord.log.cursor"

// FeedLog posts audit events not yet posted to the configured log channel,
// one line each, several lines to a message. The cursor moves only after
// Discord took the message, so an outage delays the feed and loses
// nothing. It returns how many events it posted.
func (w *Worker) FeedLog(ctx context.Context) (int, error) {
	cfg, err := w.app.DiscordConfig(ctx)
	if err != nil {
		return 0, err
	}
	channel := cfg.Channels[app.ChannelLog]
	if channel == "" {
		return 0, nil
	}
	var after int64
	var events []*cambista.AuditEvent
	err = w.store.View(ctx, func(tx app.Tx) error {
		// A new log channel starts from the first event and catches up,
		// twenty a pass.
		cur, err := tx.Setting(ctx, logCursor)
		if err != nil {
			return err
		}
		after, _ = strconv.ParseInt(cur, 10, 64)
		events, err = tx.AuditEvents(ctx, after, 20)
		return err
	})
	if err != nil || len(events) == 0 {
		return 0, err
	}
	var b strings.Builder
	for _, ev := range events {
		fmt.Fprintf(&b, "`#%d` %s · **%s** · %s %s · <@%s>\n", ev.Seq, ev.Time.Format("2006-01-02 15:04:05"), ev.Action, ev.EntityType, ev.EntityID, ev.Actor)
	}
	if _, err := w.s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{
		Content:         truncate(b.String(), 2000),
		AllowedMentions: &discordgo.MessageAllowedMentions{}, // name people without pinging them
	}, opts(ctx)...); err != nil {
		return 0, err
	}
	last := events[len(events)-1].Seq
	return len(events), w.store.WithTx(ctx, func(tx app.Tx) error {
		return tx.SetSetting(ctx, logCursor, strconv.FormatInt(last, 10), "system")
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], '\n')
	if cut <= 0 {
		cut = n
	}
	return s[:cut]
}
