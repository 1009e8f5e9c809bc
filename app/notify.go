package app

import (
	"fmt"

	"github.com/cambista/cambista"
)

// Notice is the outbox payload of every event people should hear about.
// It names the entity rather than copying it: the Discord worker loads the
// entity's current state when it delivers, so a late delivery never shows
// stale figures.
type Notice struct {
	Event   string          `json:"event"`             // "transfer.completed"
	Entity  string          `json:"entity"`            // "transfer"
	ID      cambista.ID     `json:"id"`                // the entity's ID
	Channel string          `json:"channel,omitempty"` // the configured channel whose card for the entity is created or edited: admin, cashier
	DM      cambista.UserID `json:"dm,omitempty"`      // the user to tell by direct message
	Actor   string          `json:"actor"`             // who acted
}

// Outbox kinds.
const (
	KindNotice  = "notice"          // a Notice
	KindRole    = "discord.role"    // a RoleChanged
	KindProfile = "discord.profile" // a ProfileChanged
)

// Channels a notice can go to, configured by a superuser.
const (
	ChannelAdmin   = "admin"
	ChannelCashier = "cashier"
)

// notify writes a notice in the use case's transaction.
func (c *call) notify(event, entity string, id cambista.ID, channel string, dm cambista.UserID) error {
	return c.enqueue(KindNotice, Notice{Event: event, Entity: entity, ID: id, Channel: channel, DM: dm, Actor: c.actor.String()})
}

// ordered is an outbox payload whose messages must be delivered in the
// order they were written, one subject at a time (see
// cambista.OutboxMessage.Subject).
type ordered interface{ subject() string }

// A notice's subject is its entity: a card is never edited before it is
// posted, nor with an older state over a newer one.
func (n Notice) subject() string { return fmt.Sprintf("%s:%d", n.Entity, n.ID) }

// A member's Discord roles change in the order the app changed them.
func (r RoleChanged) subject() string    { return "member:" + string(r.UserID) }
func (p ProfileChanged) subject() string { return "member:" + string(p.UserID) }

// The log channel's lines go out in order.
func (AuditFeed) subject() string { return "log" }

// subjectOf returns the payload's subject, or "" for a payload delivered
// in no particular order.
func subjectOf(payload any) string {
	if o, ok := payload.(ordered); ok {
		return o.subject()
	}
	return ""
}
