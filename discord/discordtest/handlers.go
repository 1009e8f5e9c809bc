package discordtest

import (
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// The REST handlers run with s.mu held (see serveREST).

func getGateway(s *Server, rq *request) reply {
	return ok(map[string]string{"url": s.GatewayURL()})
}

func getGatewayBot(s *Server, rq *request) reply {
	return ok(discordgo.GatewayBotResponse{
		URL:    s.GatewayURL(),
		Shards: 1,
		SessionStartLimit: discordgo.SessionInformation{
			Total: 1000, Remaining: 999, ResetAfter: int(24 * time.Hour / time.Millisecond), MaxConcurrency: 1,
		},
	})
}

func getMe(s *Server, rq *request) reply { return ok(botUser()) }

func createDM(s *Server, rq *request) reply {
	var in struct {
		RecipientID string `json:"recipient_id"`
	}
	if rep := rq.decode(&in); rep != nil {
		return *rep
	}
	if in.RecipientID == "" {
		return (&invalid{"recipient_id", "BASE_TYPE_REQUIRED", "This field is required"}).reply()
	}
	// Opening the channel succeeds even for someone who refuses DMs;
	// only sending to it fails, as on Discord.
	return ok(discordgo.Channel{
		ID:         s.dmChannelLocked(in.RecipientID),
		Type:       discordgo.ChannelTypeDM,
		Recipients: []*discordgo.User{s.st.user(in.RecipientID)},
	})
}

// commandScope checks the application and guild in the path and returns
// the commands' key: the guild ID, or "" for global commands.
func commandScope(rq *request) (string, *reply) {
	if rq.vars["app"] != AppID {
		rep := apiError(http.StatusNotFound, codeUnknownApplication, "Unknown Application")
		return "", &rep
	}
	g, ok := rq.vars["guild"]
	if ok && g != GuildID {
		rep := apiError(http.StatusNotFound, codeUnknownGuild, "Unknown Guild")
		return "", &rep
	}
	return g, nil
}

func getCommands(s *Server, rq *request) reply {
	scope, rep := commandScope(rq)
	if rep != nil {
		return *rep
	}
	cmds := s.st.commands[scope]
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	return ok(cmds)
}

// putCommands is bulk overwrite: the list replaces the scope's commands.
// A command keeps its ID when one of the same name and type existed, as
// on Discord, so permissions set on it survive a redeploy.
func putCommands(s *Server, rq *request) reply {
	scope, rep := commandScope(rq)
	if rep != nil {
		return *rep
	}
	var cmds []*discordgo.ApplicationCommand
	if rep := rq.decode(&cmds); rep != nil {
		return *rep
	}
	if len(cmds) > 100 {
		return (&invalid{"_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."}).reply()
	}
	seen := make(map[string]bool)
	for i, c := range cmds {
		if c == nil {
			return (&invalid{strconv.Itoa(i), "BASE_TYPE_REQUIRED", "This field is required"}).reply()
		}
		if err := validateCommand(strconv.Itoa(i), c); err != nil {
			return err.reply()
		}
		key := strconv.Itoa(int(c.Type)) + "/" + c.Name
		if seen[key] {
			return (&invalid{strconv.Itoa(i) + ".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"}).reply()
		}
		seen[key] = true
	}
	old := make(map[string]string)
	for _, c := range s.st.commands[scope] {
		old[strconv.Itoa(int(c.Type))+"/"+c.Name] = c.ID
	}
	for _, c := range cmds {
		if c.Type == 0 {
			c.Type = discordgo.ChatApplicationCommand
		}
		c.ID = old[strconv.Itoa(int(c.Type))+"/"+c.Name]
		if c.ID == "" {
			c.ID = s.ids.next()
		}
		c.ApplicationID = AppID
		c.GuildID = scope
		c.Version = s.ids.next()
	}
	s.st.commands[scope] = cmds
	return ok(cmds)
}

// validateCommand checks Discord's naming rules, which localized names
// must follow too: slash command and option names are 1-32 lowercase
// letters, digits, - or _; descriptions 1-100 characters.
func validateCommand(p string, c *discordgo.ApplicationCommand) *invalid {
	slash := c.Type == 0 || c.Type == discordgo.ChatApplicationCommand
	if err := checkName(p+".name", c.Name, slash); err != nil {
		return err
	}
	if c.NameLocalizations != nil {
		for loc, n := range *c.NameLocalizations {
			if err := checkName(p+".name_localizations."+string(loc), n, slash); err != nil {
				return err
			}
		}
	}
	if slash {
		if err := checkDescription(p+".description", c.Description); err != nil {
			return err
		}
		if c.DescriptionLocalizations != nil {
			for loc, d := range *c.DescriptionLocalizations {
				if err := checkDescription(p+".description_localizations."+string(loc), d); err != nil {
					return err
				}
			}
		}
	}
	return validateOptions(p+".options", c.Options)
}

func validateOptions(p string, opts []*discordgo.ApplicationCommandOption) *invalid {
	if len(opts) > 25 {
		return &invalid{p, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."}
	}
	for i, o := range opts {
		q := p + "." + strconv.Itoa(i)
		if err := checkName(q+".name", o.Name, true); err != nil {
			return err
		}
		for loc, n := range o.NameLocalizations {
			if err := checkName(q+".name_localizations."+string(loc), n, true); err != nil {
				return err
			}
		}
		if err := checkDescription(q+".description", o.Description); err != nil {
			return err
		}
		for loc, d := range o.DescriptionLocalizations {
			if err := checkDescription(q+".description_localizations."+string(loc), d); err != nil {
				return err
			}
		}
		if len(o.Choices) > 25 {
			return &invalid{q + ".choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."}
		}
		for j, ch := range o.Choices {
			if err := checkLen(q+".choices."+strconv.Itoa(j)+".name", ch.Name, 100, true); err != nil {
				return err
			}
		}
		if err := validateOptions(q+".options", o.Options); err != nil {
			return err
		}
	}
	return nil
}

func checkName(field, name string, slash bool) *invalid {
	if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
		return &invalid{field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."}
	}
	if !slash {
		return nil
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '-' || r == '_' || r == '\'') || unicode.ToLower(r) != r {
			return &invalid{field, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"}
		}
	}
	return nil
}

func checkDescription(field, d string) *invalid {
	if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
		return &invalid{field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."}
	}
	return nil
}

func createMessage(s *Server, rq *request) reply {
	cid := rq.vars["cid"]
	if user, dm := s.st.dmUsers[cid]; dm && s.st.blocked[user] {
		return apiError(http.StatusForbidden, codeCannotDM, "Cannot send messages to this user")
	}
	md, err := parseMessageData(rq.body)
	if err != nil {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
	}
	n, err := parseNonce(rq.body)
	if err != nil {
		return (&invalid{"nonce", "BASE_TYPE_BAD_LENGTH", err.Error()}).reply()
	}
	if m := s.st.sentWithNonce(n); m != nil {
		return ok(m.wire())
	}
	m := s.newMessage(cid, md, rq.files)
	m.Flags &= messageFlags
	if m.empty() {
		return apiError(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
	}
	if err := validate(m); err != nil {
		return err.reply()
	}
	s.st.addMessage(m)
	s.st.rememberNonce(n, m.ID)
	return ok(m.wire())
}

// messageFlags are the flags a bot may set on a message it sends;
// responses and follow-ups may also be ephemeral.
const messageFlags = discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsComponentsV2

func (st *state) channelMessage(rq *request) (*Message, *reply) {
	m := st.messages[rq.vars["mid"]]
	if m == nil || m.ChannelID != rq.vars["cid"] {
		rep := apiError(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return nil, &rep
	}
	return m, nil
}

func getMessage(s *Server, rq *request) reply {
	m, rep := s.st.channelMessage(rq)
	if rep != nil {
		return *rep
	}
	return ok(m.wire())
}

func listMessages(s *Server, rq *request) reply {
	limit := 50
	if l := rq.query.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return (&invalid{"limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100."}).reply()
		}
		limit = n
	}
	ids := s.st.channels[rq.vars["cid"]]
	out := []any{}
	// Newest first, as Discord lists them.
	for i := len(ids) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, s.st.messages[ids[i]].wire())
	}
	return ok(out)
}

func editMessage(s *Server, rq *request) reply {
	m, rep := s.st.channelMessage(rq)
	if rep != nil {
		return *rep
	}
	md, err := parseMessageData(rq.body)
	if err != nil {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
	}
	return s.applyEdit(m, md, rq.files)
}

// applyEdit edits m only if the result is valid, so a refused edit
// changes nothing.
func (s *Server) applyEdit(m *Message, md messageData, files []File) reply {
	next := m.clone()
	s.edit(&next, md, files)
	if md.flags != nil {
		// Only suppress-embeds can change after sending.
		next.Flags = next.Flags&^discordgo.MessageFlagsSuppressEmbeds | *md.flags&discordgo.MessageFlagsSuppressEmbeds
	}
	if !next.Loading() {
		next.Edited = true
		next.EditedTime = time.Now().UTC()
	}
	next.Flags &^= discordgo.MessageFlagsLoading
	if next.empty() {
		return apiError(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
	}
	if err := validate(&next); err != nil {
		return err.reply()
	}
	*m = next
	for i := range m.Attachments {
		s.st.attachments[m.Attachments[i].ID] = &m.Attachments[i]
	}
	return ok(m.wire())
}

func deleteMessage(s *Server, rq *request) reply {
	m, rep := s.st.channelMessage(rq)
	if rep != nil {
		return *rep
	}
	s.st.deleteMessage(m)
	return noContent()
}

func checkGuild(rq *request) *reply {
	if rq.vars["guild"] != GuildID {
		rep := apiError(http.StatusNotFound, codeUnknownGuild, "Unknown Guild")
		return &rep
	}
	return nil
}

func getRoles(s *Server, rq *request) reply {
	if rep := checkGuild(rq); rep != nil {
		return *rep
	}
	return ok(s.st.roleList())
}

func getMember(s *Server, rq *request) reply {
	if rep := checkGuild(rq); rep != nil {
		return *rep
	}
	m := s.st.members[rq.vars["user"]]
	if m == nil {
		return apiError(http.StatusNotFound, codeUnknownMember, "Unknown Member")
	}
	return ok(m.discord())
}

// listMembers pages by user ID as Discord does: members after "after",
// at most limit of them, which defaults to 1.
func listMembers(s *Server, rq *request) reply {
	if rep := checkGuild(rq); rep != nil {
		return *rep
	}
	limit := 1
	if l := rq.query.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return (&invalid{"limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 1000."}).reply()
		}
		limit = n
	}
	after := rq.query.Get("after")
	if after == "" {
		after = "0"
	}
	out := []*discordgo.Member{}
	for _, id := range s.st.memberIDs() {
		if compareSnowflakes(id, after) > 0 && len(out) < limit {
			out = append(out, s.st.members[id].discord())
		}
	}
	return ok(out)
}

func addMemberRole(s *Server, rq *request) reply {
	return s.changeRole(rq, true)
}

func removeMemberRole(s *Server, rq *request) reply {
	return s.changeRole(rq, false)
}

func (s *Server) changeRole(rq *request, add bool) reply {
	if rep := checkGuild(rq); rep != nil {
		return *rep
	}
	m := s.st.members[rq.vars["user"]]
	if m == nil {
		return apiError(http.StatusNotFound, codeUnknownMember, "Unknown Member")
	}
	role := rq.vars["role"]
	if _, ok := s.st.roles[role]; !ok || role == GuildID {
		return apiError(http.StatusNotFound, codeUnknownRole, "Unknown Role")
	}
	has := slices.Contains(m.roles, role)
	switch {
	case add && !has:
		m.roles = append(m.roles, role)
	case !add && has:
		m.roles = slices.DeleteFunc(m.roles, func(r string) bool { return r == role })
	default:
		// Nothing changed, so Discord sends no event.
		return noContent()
	}
	rep := noContent()
	if s.echoMembers {
		d := m.discord()
		rep.after = func() { s.dispatchMembers("GUILD_MEMBER_UPDATE", d) }
	}
	return rep
}
