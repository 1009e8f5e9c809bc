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

// userTypeRoleNames are the Discord role names that stand for each user
// type, in both languages.
var userTypeRoleNames = map[string][]string{
	string(cambista.UserTypeClient): {"client", "cliente"},
	string(cambista.UserTypeAgent):  {"agent", "agente"},
}

// profile gives the member the Discord roles matching their country and
// user type — guild roles named like the country's code or name, or the
// user type in English or Spanish — and takes the old ones away. A server
// without such roles gets no change.
func (w *Worker) profile(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error {
	var p app.ProfileChanged
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return permanent(fmt.Errorf("profile payload: %w", err))
	}
	if w.cfg.GuildID == "" {
		return errNoGuild
	}
	roles, err := w.s.GuildRoles(w.cfg.GuildID, opts(ctx)...)
	if err != nil {
		return err
	}
	countries, err := w.app.Countries(ctx)
	if err != nil {
		return err
	}
	names := func(code string) []string {
		out := []string{code}
		for _, c := range countries {
			if c.Code == code {
				out = append(out, c.Name)
			}
		}
		return out
	}
	// The member gets what the app holds now, as for app roles.
	u, err := w.app.User(ctx, p.UserID)
	if err != nil {
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			return nil
		}
		return err
	}
	want := map[string]bool{}
	for _, r := range matching(roles, append(names(u.Country), userTypeRoleNames[string(u.Type)]...)) {
		want[r] = true
	}
	var drop []string
	if p.OldCountry != "" && p.OldCountry != u.Country {
		drop = append(drop, matching(roles, names(p.OldCountry))...)
	}
	if p.OldType != "" && p.OldType != string(u.Type) {
		drop = append(drop, matching(roles, userTypeRoleNames[p.OldType])...)
	}
	for id := range want {
		if err := w.s.GuildMemberRoleAdd(w.cfg.GuildID, string(u.ID), id, opts(ctx)...); err != nil {
			if restCode(err) == discordgo.ErrCodeUnknownMember {
				return nil
			}
			return err
		}
	}
	for _, id := range drop {
		if want[id] {
			continue
		}
		if err := w.s.GuildMemberRoleRemove(w.cfg.GuildID, string(u.ID), id, opts(ctx)...); err != nil && restCode(err) != discordgo.ErrCodeUnknownMember {
			return err
		}
	}
	return nil
}

// matching returns the IDs of the guild roles whose name is one of names,
// ignoring case.
func matching(roles []*discordgo.Role, names []string) []string {
	var out []string
	for _, r := range roles {
		for _, n := range names {
			if n != "" && strings.EqualFold(strings.TrimSpace(r.Name), n) {
				out = append(out, r.ID)
				break
			}
		}
	}
	return out
}
