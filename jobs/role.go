package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

var errNoGuild = errors.New("no guild ID configured: members' roles cannot be changed")

// role gives the member the Discord role mapped to an app role, or takes it
// away.
func (w *Worker) role(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error {
	var rc app.RoleChanged
	if err := json.Unmarshal(m.Payload, &rc); err != nil {
		return permanent(fmt.Errorf("role payload: %w", err))
	}
	r, err := cambista.ParseRole(rc.Role)
	if err != nil {
		return permanent(err)
	}
	roleID := cfg.Roles[r]
	if roleID == "" {
		w.log.Info("app role not mapped to a Discord role; nothing to change", "outbox_id", m.ID, "role", rc.Role, "user", rc.UserID)
		return nil
	}
	if w.cfg.GuildID == "" {
		return errNoGuild // retried: the setting can be fixed within the horizon
	}
	// The member gets what the app says now rather than what this row asked:
	// a grant retried after a later removal must not bring the role back.
	grant := rc.Granted
	u, err := w.app.User(ctx, rc.UserID)
	switch {
	case err == nil:
		grant = u.Roles.Has(r)
	case cambista.ErrorCode(err) != cambista.ENOTFOUND:
		return err
	}
	if grant {
		err = w.s.GuildMemberRoleAdd(w.cfg.GuildID, string(rc.UserID), roleID, opts(ctx)...)
	} else {
		err = w.s.GuildMemberRoleRemove(w.cfg.GuildID, string(rc.UserID), roleID, opts(ctx)...)
	}
	// Someone who left the server has no roles to keep in step; that is
	// not worth an operator's attention.
	if restCode(err) == discordgo.ErrCodeUnknownMember {
		w.log.Info("user is not a member of the server; role not changed", "user", rc.UserID, "role", rc.Role)
		return nil
	}
	return err
}
