package app

import (
	"context"
	"strconv"
	"time"

	"github.com/cambista/cambista"
)

// The log channel gets a line for every audit event. A worker claims the
// next sealed events in one transaction, which moves the feed's cursor past
// them and enqueues them as one outbox message; the outbox then delivers it
// like any other, retried while Discord is down and marked delivered once.

// KindAuditFeed is an outbox message of audit lines for the log channel:
// an AuditFeed.
const KindAuditFeed = "discord.log"

// auditFeedCursor is the setting that holds the sequence number of the
// last audit event claimed for the log channel.
const auditFeedCursor = "discord.log.cursor"

// AuditFeed is consecutive audit events, in order, for the log channel.
type AuditFeed struct {
	Lines []AuditLine `json:"lines"`
}

// AuditLine is an audit event as the log channel shows it: what was done
// to what, by whom, without the states before and after.
type AuditLine struct {
	Seq        int64           `json:"seq"`
	Time       time.Time       `json:"time"`
	Actor      string          `json:"actor"`
	Action     cambista.Action `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
}

// ClaimAuditFeed claims at most limit sealed audit events after the feed's
// cursor for the log channel, and returns how many it claimed. Lines are
// gathered into full messages: fewer than limit events are claimed only
// once the first of them is gather old, so that a busy log channel costs
// one Discord message per limit events. A new log
// channel starts from the first event and catches up. It claims nothing
// while the log channel is unset, or while the lines it claimed before are
// still on their way: so they reach the channel in order, whichever worker
// delivers them and however often a delivery is retried. The outbox worker
// calls it; it needs no actor.
func (s *Service) ClaimAuditFeed(ctx context.Context, limit int, gather time.Duration) (int, error) {
	var n int
	err := s.store.WithTx(ctx, func(tx Tx) error {
		n = 0
		tx.Prefetch(ctx, SettingRead(channelKey(ChannelLog)), SettingRead(auditFeedCursor))
		// Both prefetched reads are read, even when there is no channel.
		channel, err := tx.Setting(ctx, channelKey(ChannelLog))
		if err != nil {
			return err
		}
		cursor, err := tx.Setting(ctx, auditFeedCursor)
		if err != nil || channel == "" {
			return err
		}
		after, _ := strconv.ParseInt(cursor, 10, 64)
		// Read after the cursor: a claim that committed since the cursor was
		// read shows here, and one that has not yet holds the key below.
		if waiting, err := tx.Undelivered(ctx, "", KindAuditFeed); err != nil || waiting {
			return err
		}
		events, err := tx.AuditEvents(ctx, after, limit)
		if err != nil || len(events) == 0 || len(events) < limit && tx.Now().Sub(events[0].Time) < gather {
			return err
		}
		// Each position of the cursor is claimed once: a worker that read
		// the same position waits on the key until this transaction ends,
		// then finds it taken and claims nothing.
		claimed, _, _, err := tx.ClaimKey(ctx, "audit.feed:"+strconv.FormatInt(after, 10), "")
		if err != nil || !claimed {
			return err
		}
		feed := AuditFeed{Lines: make([]AuditLine, len(events))}
		for i, ev := range events {
			feed.Lines[i] = AuditLine{Seq: ev.Seq, Time: ev.Time, Actor: ev.Actor, Action: ev.Action, EntityType: ev.EntityType, EntityID: ev.EntityID}
		}
		last := strconv.FormatInt(events[len(events)-1].Seq, 10)
		if err := tx.SetSetting(ctx, auditFeedCursor, last, cambista.SystemActor.UserID); err != nil {
			return err
		}
		c := &call{ctx: ctx, tx: tx}
		if err := c.enqueue(KindAuditFeed, feed); err != nil {
			return err
		}
		n = len(events)
		return nil
	})
	return n, err
}
