package discordtest

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

// newMessage makes a message (not yet stored) from a payload and files.
func (s *Server) newMessage(channelID string, md wire.Payload, files []File) *Message {
	m := &Message{ID: s.ids.Next(), ChannelID: channelID, Time: time.Now().UTC()}
	if _, dm := s.st.dmUsers[channelID]; !dm {
		m.GuildID = GuildID
	}
	s.edit(m, md, files)
	if md.Flags != nil {
		m.Flags = *md.Flags
	}
	return m
}

// edit applies the fields present in md, and appends files as new
// attachments. Flags are left to the caller: most cannot be edited.
func (s *Server) edit(m *Message, md wire.Payload, files []File) {
	if md.Content != nil {
		m.Content = *md.Content
	}
	if md.Mentions != nil {
		m.AllowedMentions = md.Mentions
	}
	if md.Embeds != nil {
		m.Embeds = *md.Embeds
		for _, e := range m.Embeds {
			if e.Type == "" {
				e.Type = discordgo.EmbedTypeRich
			}
		}
	}
	if md.Components != nil {
		m.Components = *md.Components
	}
	if md.Attachments != nil {
		keep := make(map[string]bool)
		for _, a := range *md.Attachments {
			if a != nil {
				keep[a.ID] = true
			}
		}
		m.Attachments = slices.DeleteFunc(slices.Clone(m.Attachments), func(a Attachment) bool { return !keep[a.ID] })
	}
	for _, f := range files {
		id := s.ids.Next()
		m.Attachments = append(m.Attachments, Attachment{ID: id, URL: s.URL() + "/attachments/" + id + "/" + url.PathEscape(f.Name), File: f})
	}
}

// empty reports whether a message has nothing to show; Discord refuses it.
func (m *Message) empty() bool {
	return m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 && len(m.Attachments) == 0
}

// invalidReply answers a form error as Discord does.
func invalidReply(e *wire.Invalid) reply {
	return reply{status: http.StatusBadRequest, body: e.Body()}
}

// validate checks the limits Discord enforces on messages, so that a
// message too long for Discord fails in tests too.
func validate(m *Message) *wire.Invalid { return wire.CheckMessage(m.Discord()) }
