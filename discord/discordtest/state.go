package discordtest

import (
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

// state is what Discord would show: guarded by Server.mu.
type state struct {
	calls        []Call
	messages     map[string]*Message // by ID
	channels     map[string][]string // channel ID → message IDs, oldest first
	dms          map[string]string   // user ID → DM channel ID
	dmUsers      map[string]string   // DM channel ID → user ID
	blocked      map[string]bool     // user IDs that refuse DMs from the bot
	members      map[string]*member
	roles        map[string]*discordgo.Role
	roleOrder    []string
	commands     map[string][]*discordgo.ApplicationCommand // by guild ID, "" for global
	interactions map[string]*interactionState               // by interaction ID
	tokens       map[string]*interactionState               // by interaction token
	attachments  map[string]*Attachment
	threads      map[string]Thread // by ID, which is the message it started from
	faults       faultState
	nonces       map[string]nonceUse // enforced nonces of created messages
	limitState
}

func (st *state) init() {
	st.messages = make(map[string]*Message)
	st.channels = make(map[string][]string)
	st.dms = make(map[string]string)
	st.dmUsers = make(map[string]string)
	st.blocked = make(map[string]bool)
	st.members = make(map[string]*member)
	st.roles = map[string]*discordgo.Role{
		// Every guild has @everyone, whose ID is the guild's.
		GuildID: {ID: GuildID, Name: "@everyone", Permissions: discordgo.PermissionViewChannel | discordgo.PermissionSendMessages},
	}
	st.roleOrder = []string{GuildID}
	st.commands = make(map[string][]*discordgo.ApplicationCommand)
	st.interactions = make(map[string]*interactionState)
	st.tokens = make(map[string]*interactionState)
	st.attachments = make(map[string]*Attachment)
	st.threads = make(map[string]Thread)
	st.nonces = make(map[string]nonceUse)
}

// File is an uploaded file.
type File = wire.File

// Attachment is a file attached to a message; the fake serves its bytes
// at URL.
type Attachment struct {
	ID  string
	URL string
	File
}

// Message is a message as a person in the channel would see it.
type Message struct {
	ID, ChannelID string
	GuildID       string // empty in a DM
	Content       string
	Embeds        []*discordgo.MessageEmbed
	Components    []discordgo.MessageComponent
	Attachments   []Attachment
	Flags         discordgo.MessageFlags
	// AllowedMentions is what the last send or edit allowed to ping; nil
	// when it did not say (then Discord pings whatever the content names).
	AllowedMentions *discordgo.MessageAllowedMentions
	// Edited is set once the message was edited after it was sent (the
	// "(edited)" mark); completing a deferred response does not set it.
	Edited bool
	// InteractionID is the interaction this message answers, for
	// responses and follow-ups.
	InteractionID string
	Time          time.Time
	EditedTime    time.Time
}

// Ephemeral reports whether only the person who interacted sees it.
func (m Message) Ephemeral() bool { return m.Flags&discordgo.MessageFlagsEphemeral != 0 }

// Loading reports whether it is a deferred response not yet completed
// ("cambista is thinking...").
func (m Message) Loading() bool { return m.Flags&discordgo.MessageFlagsLoading != 0 }

// Discord returns the message as discordgo would decode it from Discord,
// for building interactions on it (Interaction.Message).
func (m Message) Discord() *discordgo.Message {
	d := &discordgo.Message{
		ID:          m.ID,
		ChannelID:   m.ChannelID,
		GuildID:     m.GuildID,
		Content:     m.Content,
		Timestamp:   m.Time,
		Author:      botUser(),
		Embeds:      m.Embeds,
		Components:  m.Components,
		Flags:       m.Flags,
		Attachments: make([]*discordgo.MessageAttachment, 0, len(m.Attachments)),
	}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if m.Edited {
		t := m.EditedTime
		d.EditedTimestamp = &t
	}
	if m.InteractionID != "" {
		d.WebhookID = AppID
	}
	for _, a := range m.Attachments {
		d.Attachments = append(d.Attachments, &discordgo.MessageAttachment{
			ID: a.ID, URL: a.URL, ProxyURL: a.URL, Filename: a.Name, ContentType: a.ContentType, Size: len(a.Data),
		})
	}
	return d
}

// wire is the message's JSON as Discord sends it.
func (m Message) wire() any { return wire.Message(m.Discord()) }

// clone copies the message's slices, so callers cannot change the fake's
// state by changing what they got.
func (m *Message) clone() Message {
	c := *m
	c.Embeds = slices.Clone(m.Embeds)
	c.Components = slices.Clone(m.Components)
	c.Attachments = slices.Clone(m.Attachments)
	return c
}

// Messages returns the messages in the channel, oldest first, ephemeral
// ones included (see Message.Ephemeral).
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, id := range s.st.channels[channelID] {
		out = append(out, s.st.messages[id].clone())
	}
	return out
}

// Message returns one message in the channel.
func (s *Server) Message(channelID, id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.messages[id]
	if m == nil || m.ChannelID != channelID {
		return Message{}, false
	}
	return m.clone(), true
}

func (st *state) addMessage(m *Message) {
	st.messages[m.ID] = m
	st.channels[m.ChannelID] = append(st.channels[m.ChannelID], m.ID)
	for i := range m.Attachments {
		st.attachments[m.Attachments[i].ID] = &m.Attachments[i]
	}
}

func (st *state) deleteMessage(m *Message) {
	delete(st.messages, m.ID)
	st.channels[m.ChannelID] = slices.DeleteFunc(st.channels[m.ChannelID], func(id string) bool { return id == m.ID })
}

// member is a guild member.
type member struct {
	user   discordgo.User
	nick   string
	roles  []string
	joined time.Time
	locale discordgo.Locale
}

func (m *member) discord() *discordgo.Member {
	u := m.user
	return &discordgo.Member{GuildID: GuildID, User: &u, Nick: m.nick, Roles: slices.Clone(m.roles), JoinedAt: m.joined}
}

// memberIDs returns the members' user IDs in snowflake order.
func (st *state) memberIDs() []string {
	ids := make([]string, 0, len(st.members))
	for id := range st.members {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareSnowflakes)
	return ids
}

func (st *state) roleList() []*discordgo.Role {
	out := make([]*discordgo.Role, 0, len(st.roleOrder))
	for _, id := range st.roleOrder {
		r := *st.roles[id]
		out = append(out, &r)
	}
	return out
}

// compareSnowflakes orders decimal IDs numerically.
func compareSnowflakes(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// AddRole adds a role to the guild.
func (s *Server) AddRole(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.roles[id]; !ok {
		s.st.roleOrder = append(s.st.roleOrder, id)
	}
	s.st.roles[id] = &discordgo.Role{ID: id, Name: name, Position: len(s.st.roleOrder) - 1}
}

// AddMember adds a person to the guild with the given roles, which must
// have been added with AddRole. It does not dispatch an event.
func (s *Server) AddMember(userID, name string, roles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range roles {
		if _, ok := s.st.roles[r]; !ok {
			panic("discordtest: AddMember " + userID + ": unknown role " + r + "; AddRole it first")
		}
	}
	s.st.members[userID] = &member{
		user:   discordgo.User{ID: userID, Username: name, GlobalName: name, Discriminator: "0"},
		roles:  slices.Clone(roles),
		joined: time.Now().UTC().Truncate(time.Second),
		locale: discordgo.EnglishUS,
	}
	s.notify()
}

// SetLocale sets the Discord client locale that interactions made by the
// member carry (en-US unless set; also for users who are not members).
func (s *Server) SetLocale(userID string, locale discordgo.Locale) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.st.members[userID]; m != nil {
		m.locale = locale
	}
}

// MemberRoles returns the member's role IDs, sorted, or nil for someone
// who is not a member.
func (s *Server) MemberRoles(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.members[userID]
	if m == nil {
		return nil
	}
	r := slices.Clone(m.roles)
	slices.Sort(r)
	return r
}

// MemberUpdate sets the member's roles, as someone with Manage Roles would
// in Discord, and dispatches GUILD_MEMBER_UPDATE.
func (s *Server) MemberUpdate(userID string, roleIDs []string) {
	s.mu.Lock()
	m := s.st.members[userID]
	if m == nil {
		s.mu.Unlock()
		panic("discordtest: MemberUpdate: " + userID + " is not a member; AddMember first")
	}
	m.roles = slices.Clone(roleIDs)
	d := m.discord()
	s.mu.Unlock()
	s.notify()
	s.Dispatch("GUILD_MEMBER_UPDATE", d)
}

// RenameMember sets the member's server nickname, which the next
// MemberUpdate carries.
func (s *Server) RenameMember(userID, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.st.members[userID]
	if m == nil {
		panic("discordtest: RenameMember: " + userID + " is not a member; AddMember first")
	}
	m.nick = nick
}

// BlockDMs makes the user refuse direct messages from the bot: sending to
// their DM channel fails with 403 and code 50007, as when someone turned
// off DMs from server members or blocked the bot.
func (s *Server) BlockDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.blocked[userID] = true
}

// DMChannel returns the ID of the bot's DM channel with the user, the one
// POST /users/@me/channels returns.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmChannelLocked(userID)
}

func (s *Server) dmChannelLocked(userID string) string {
	id, ok := s.st.dms[userID]
	if !ok {
		id = s.ids.Next()
		s.st.dms[userID] = id
		s.st.dmUsers[id] = userID
	}
	return id
}

// user is the user with the ID, as far as the fake knows them.
func (st *state) user(id string) *discordgo.User {
	if m := st.members[id]; m != nil {
		u := m.user
		return &u
	}
	return &discordgo.User{ID: id, Username: "user" + id, Discriminator: "0"}
}
