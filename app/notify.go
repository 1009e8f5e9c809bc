package app

import "github.com/cambista/cambista"

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

// notify writes a notice in the use case's transaction, and the row that
// updates the entity's Notion page when it has one.
func (c *call) notify(event, entity string, id cambista.ID, channel string, dm cambista.UserID) error {
	if err := c.enqueue(KindNotice, Notice{Event: event, Entity: entity, ID: id, Channel: channel, DM: dm, Actor: c.actor.String()}); err != nil {
		return err
	}
	return c.mirror(event, entity, id)
}
