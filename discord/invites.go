package discord

import "github.com/bwmarrin/discordgo"

// Invitations: an agent hands out their code; a client registers with it
// (/register code) or, registered without an agent, enters it once.

var (
	registerName = words.Text("discord_cmd_register", "register")
	oInviteCode  = words.Text("discord_opt_invite_code", "code")
	oInviteCodeD = words.Text("discord_opt_invite_code_desc", "The invite code your agent gave you (optional)")
	oJoinCodeD   = words.Text("discord_opt_join_code_desc", "The invite code your agent gave you")

	lInviteInput  = words.Text("discord_invite_input", "Agent's invite code (optional)")
	lInvitation   = words.Text("discord_invitation", "Your invite code: **{{.Code}}**{{if .Link}}\nWelcome panel: {{.Link}}{{end}}\nForward this to the people you invite:")
	lInviteText   = words.Text("discord_invite_text", "Join me on our exchange's Discord{{if .Link}} ({{.Link}}){{end}}: register with /{{.Register}} {{.Option}}:{{.Code}}, or type the code {{.Code}} in the registration form.")
	lJoinedAgent  = words.Text("discord_joined_agent", "Done: your agent is now <@{{.Agent}}>. To change it later, ask a superuser.")
	lRegisteredBy = words.Text("discord_registered_by", "Your agent: <@{{.Agent}}>.")
)

// inviteCommand is /invite, for agents: their code, the welcome panel's
// link, and a text to forward.
var inviteCommand = command{name: words.Text("discord_cmd_invite", "invite"),
	desc: words.Text("discord_cmd_invite_desc", "Your invite code for new clients (agents)"), run: (*Bot).cmdInvite}

// joinCommand is /agent code: a registered client with no agent links
// to the one who invited them.
var joinCommand = command{name: words.Text("discord_cmd_agent", "agent"),
	desc:    words.Text("discord_cmd_agent_desc", "Link yourself to the agent who invited you (once)"),
	options: []*discordgo.ApplicationCommandOption{str(oInviteCode, oJoinCodeD, true)}, run: (*Bot).cmdJoinAgent}

func (b *Bot) cmdInvite(it *interaction, _ options) (response, error) {
	inv, err := b.app.InviteCode(it.ctx, it.key)
	if err != nil {
		return nil, err
	}
	link := ""
	if guild := b.guildOf(it); inv.WelcomeChannel != "" && guild != "" {
		link = "https://discord.com/channels/" + guild + "/" + inv.WelcomeChannel
	}
	// The command as the invited read it, in the agent's language.
	text := tr(it.lang, lInviteText, "Link", link, "Register", tr(it.lang, registerName), "Option", tr(it.lang, oInviteCode), "Code", inv.Code)
	return ephemeral(tr(it.lang, lInvitation, "Code", inv.Code, "Link", link) + "\n>>> " + text), nil
}

// guildOf is the server the interaction came from, or the configured one
// for an interaction in a DM.
func (b *Bot) guildOf(it *interaction) string {
	if it.i.GuildID != "" {
		return it.i.GuildID
	}
	return b.cfg.GuildID
}

func (b *Bot) cmdJoinAgent(it *interaction, o options) (response, error) {
	u, err := b.app.JoinAgent(it.ctx, it.key, o.str("code"))
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lJoinedAgent, "Agent", u.ReferrerID)), nil
}
