package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// WatchMembers brings role changes made in Discord back to the app
// (gateway mode: GUILD_MEMBER_UPDATE needs the Server Members intent),
// under ctx. A member's updates are handled one at a time, in the order
// the gateway delivered them (the session hands events over in order, see
// NewSession); an update that arrives while an earlier one of the same
// member is being handled waits, and replaces any older one waiting, since
// each update carries all the member's roles. Different members' updates
// are handled concurrently. Shutdown waits for the updates in flight.
func (b *Bot) WatchMembers(ctx context.Context) {
	b.s.AddHandler(func(s *discordgo.Session, m *discordgo.GuildMemberUpdate) {
		if m.Member == nil || m.User == nil || (b.cfg.GuildID != "" && m.GuildID != b.cfg.GuildID) {
			return
		}
		b.memberUpdate(ctx, m.GuildID, m.User.ID, m.Roles, m.Member.DisplayName())
	})
}

// memberWork is a member whose update is being handled, and the roles and
// name of the newest update waiting for it.
type memberWork struct {
	next     []string
	nextName string
	waiting  bool
}

// memberUpdate handles the member's update after those of theirs already
// being handled; it returns at once.
func (b *Bot) memberUpdate(ctx context.Context, guild, user string, roles []string, name string) {
	key := guild + "/" + user
	b.mmu.Lock()
	defer b.mmu.Unlock()
	if w := b.members[key]; w != nil {
		w.next, w.nextName, w.waiting = roles, name, true
		return
	}
	ctx, end, ok := b.begin(ctx)
	if !ok {
		b.log.Warn("member update arrived while shutting down; not brought back", "user", user)
		return
	}
	w := &memberWork{}
	b.members[key] = w
	go func() {
		defer end()
		for {
			b.syncMember(ctx, guild, user, roles, name)
			b.mmu.Lock()
			if !w.waiting {
				delete(b.members, key)
				b.mmu.Unlock()
				return
			}
			roles, name, w.next, w.waiting = w.next, w.nextName, nil, false
			b.mmu.Unlock()
		}
	}()
}

// syncMember brings the member's roles back to the app, and keeps their
// Discord name. roles are what the update said; the member is read from
// Discord when they disagree with the app, since the update may be older
// than the app's last change.
func (b *Bot) syncMember(ctx context.Context, guild, user string, roles []string, name string) {
	current := func(ctx context.Context) ([]string, error) {
		m, err := b.s.GuildMember(guild, user, discordgo.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		return m.Roles, nil
	}
	_, changed, err := b.app.SyncRolesFromDiscord(ctx, cambista.UserID(user), roles, current)
	if err != nil {
		b.log.Warn("role sync from Discord failed", "user", user, "err", err)
	} else if changed {
		b.log.Info("roles changed in Discord brought back", "user", user)
	}
	if _, err := b.app.NoteDiscordName(ctx, cambista.UserID(user), name); err != nil && cambista.ErrorCode(err) != cambista.ENOTFOUND {
		b.log.Warn("keeping the member's Discord name failed", "user", user, "err", err)
	}
}

// memberName is the name the interaction's member goes by on Discord: the
// server nickname, else the global name, else the user name.
func memberName(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.DisplayName()
	case i.User != nil:
		return i.User.DisplayName()
	}
	return ""
}

// Reconcile compares every guild member's Discord roles with their app
// roles, for the roles mapped to Discord roles, and fixes Discord to match
// the app, the source of truth. It returns what it fixed.
func (b *Bot) Reconcile(ctx context.Context) ([]app.RoleDrift, error) {
	want, mapped, err := b.app.ExpectedDiscordRoles(ctx)
	if err != nil {
		return nil, err
	}
	var drift []app.RoleDrift
	after := ""
	for {
		members, err := b.s.GuildMembers(b.cfg.GuildID, after, 1000, discordgo.WithContext(ctx))
		if err != nil {
			return drift, err
		}
		for _, m := range members {
			if m.User == nil || m.User.Bot {
				continue
			}
			id := cambista.UserID(m.User.ID)
			has := map[string]bool{}
			for _, r := range m.Roles {
				has[r] = true
			}
			for roleID, role := range want[id] {
				if !has[roleID] {
					if err := b.s.GuildMemberRoleAdd(b.cfg.GuildID, m.User.ID, roleID, discordgo.WithContext(ctx)); err != nil {
						return drift, err
					}
					drift = append(drift, app.RoleDrift{UserID: id, Role: role, DiscordRoleID: roleID, Add: true})
				}
			}
			for roleID := range has {
				role, isMapped := mapped[roleID]
				if _, wanted := want[id][roleID]; isMapped && !wanted {
					if err := b.s.GuildMemberRoleRemove(b.cfg.GuildID, m.User.ID, roleID, discordgo.WithContext(ctx)); err != nil {
						return drift, err
					}
					drift = append(drift, app.RoleDrift{UserID: id, Role: role, DiscordRoleID: roleID})
				}
			}
		}
		if len(members) < 1000 {
			return drift, nil
		}
		after = members[len(members)-1].User.ID
	}
}
