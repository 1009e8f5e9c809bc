package app

import (
	"context"
	"strings"

	"github.com/cambista/cambista"
)

// Channel kinds a superuser points at Discord channels.
var channelKinds = []string{ChannelAdmin, ChannelCashier, ChannelLog, ChannelWelcome}

// More channels: the one-line audit feed and the registration panel.
const (
	ChannelLog     = "log"
	ChannelWelcome = "welcome"
)

func channelKey(kind string) string  { return "discord.channel." + kind }
func roleKey(r cambista.Role) string { return "discord.role." + r.String() }
func validSnowflake(id string) bool  { return cambista.ValidateUserID(cambista.UserID(id)) == nil }
func validChannelKind(kind string) bool {
	for _, k := range channelKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// ChannelSetting points a kind of channel (admin, cashier, log, welcome) at
// a Discord channel ID; an empty ID unsets it.
type ChannelSetting struct {
	Kind      string
	ChannelID string
}

// ConfigureChannel sets where a kind of notice goes.
func (s *Service) ConfigureChannel(ctx context.Context, key string, in ChannelSetting) (ChannelSetting, error) {
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	return mutate(ctx, s, cambista.ActConfigure, key, in, func(c *call) (ChannelSetting, error) {
		if !validChannelKind(in.Kind) {
			return in, cambista.Errorf(cambista.EINVALID, cambista.MsgBadChannelKind.Msg("Input", in.Kind))
		}
		if in.ChannelID != "" && !validSnowflake(in.ChannelID) {
			return in, cambista.Errorf(cambista.EINVALID, cambista.MsgBadSnowflake.Msg("Input", in.ChannelID))
		}
		before, err := c.tx.Setting(ctx, channelKey(in.Kind))
		if err != nil {
			return in, err
		}
		if err := c.tx.SetSetting(ctx, channelKey(in.Kind), in.ChannelID, c.actor.UserID); err != nil {
			return in, err
		}
		if in.Kind == ChannelWelcome && in.ChannelID != "" {
			// The welcome channel holds the registration panel.
			if err := c.notify("welcome.panel", "welcome", 0, ChannelWelcome, ""); err != nil {
				return in, err
			}
		}
		return in, c.audit("setting", channelKey(in.Kind), before, in.ChannelID)
	})
}

// RoleSetting maps an app role to a Discord role ID; an empty ID unsets it.
type RoleSetting struct {
	Role          cambista.Role
	DiscordRoleID string
}

// ConfigureRole maps an app role to the Discord role kept in step with it.
func (s *Service) ConfigureRole(ctx context.Context, key string, in RoleSetting) (RoleSetting, error) {
	return mutate(ctx, s, cambista.ActConfigure, key, in, func(c *call) (RoleSetting, error) {
		if in.Role.String() == "" {
			return in, cambista.Errorf(cambista.EINVALID, cambista.MsgBadRole.Msg("Input", ""))
		}
		if in.DiscordRoleID != "" && !validSnowflake(in.DiscordRoleID) {
			return in, cambista.Errorf(cambista.EINVALID, cambista.MsgBadSnowflake.Msg("Input", in.DiscordRoleID))
		}
		before, err := c.tx.Setting(ctx, roleKey(in.Role))
		if err != nil {
			return in, err
		}
		if err := c.tx.SetSetting(ctx, roleKey(in.Role), in.DiscordRoleID, c.actor.UserID); err != nil {
			return in, err
		}
		return in, c.audit("setting", roleKey(in.Role), before, in.DiscordRoleID)
	})
}

// DiscordConfig is where notices go and which Discord role each app role is.
type DiscordConfig struct {
	Channels map[string]string        // kind → channel ID
	Roles    map[cambista.Role]string // app role → Discord role ID
}

// DiscordConfig reads the Discord settings. Adapters and the outbox worker
// call it as the system, so it needs no actor.
func (s *Service) DiscordConfig(ctx context.Context) (*DiscordConfig, error) {
	var cfg *DiscordConfig
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		cfg, err = discordConfig(ctx, tx)
		return err
	})
	return cfg, err
}

// discordConfig reads the Discord settings in tx, in one round trip.
func discordConfig(ctx context.Context, tx Tx) (*DiscordConfig, error) {
	cfg := &DiscordConfig{Channels: map[string]string{}, Roles: map[cambista.Role]string{}}
	reads := make([]Read, 0, len(channelKinds)+len(cambista.Roles))
	for _, k := range channelKinds {
		reads = append(reads, SettingRead(channelKey(k)))
	}
	for _, r := range cambista.Roles {
		reads = append(reads, SettingRead(roleKey(r)))
	}
	tx.Prefetch(ctx, reads...)
	for _, k := range channelKinds {
		v, err := tx.Setting(ctx, channelKey(k))
		if err != nil {
			return nil, err
		}
		if v != "" {
			cfg.Channels[k] = v
		}
	}
	for _, r := range cambista.Roles {
		v, err := tx.Setting(ctx, roleKey(r))
		if err != nil {
			return nil, err
		}
		if v != "" {
			cfg.Roles[r] = v
		}
	}
	return cfg, nil
}
