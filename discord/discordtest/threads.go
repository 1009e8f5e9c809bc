package discordtest

import (
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"
)

// Thread is a thread started from a message. As in Discord, its ID is the
// message's, and a message starts at most one thread.
type Thread struct {
	ID, ParentID, Name string
}

// codeThreadExists is Discord's answer to a second thread on a message.
const codeThreadExists = 160004

// startThread is POST /channels/{cid}/messages/{mid}/threads.
func startThread(s *Server, rq *request) reply {
	m, rep := s.st.channelMessage(rq)
	if rep != nil {
		return *rep
	}
	var in struct {
		Name string `json:"name"`
	}
	if rep := rq.decode(&in); rep != nil {
		return *rep
	}
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: name")
	}
	if _, dup := s.st.threads[m.ID]; dup {
		return apiError(http.StatusBadRequest, codeThreadExists, "A thread has already been created for this message")
	}
	th := Thread{ID: m.ID, ParentID: m.ChannelID, Name: in.Name}
	s.st.threads[m.ID] = th
	return ok(&discordgo.Channel{ID: th.ID, GuildID: GuildID, ParentID: th.ParentID, Name: th.Name, Type: discordgo.ChannelTypeGuildPublicThread})
}

// Threads returns the threads started in a channel.
func (s *Server) Threads(channelID string) []Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Thread
	for _, id := range s.st.channels[channelID] {
		if th, ok := s.st.threads[id]; ok {
			out = append(out, th)
		}
	}
	return out
}

// Upload stores a file as a person's upload to Discord's CDN and returns
// it as an interaction's resolved attachment: the fake serves its bytes at
// its URL, as the CDN would.
func (s *Server) Upload(name, contentType string, data []byte) *discordgo.MessageAttachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.ids.Next()
	a := &Attachment{ID: id, URL: s.URL() + "/attachments/" + id + "/" + url.PathEscape(name), File: File{Name: name, ContentType: contentType, Data: data}}
	s.st.attachments[id] = a
	return &discordgo.MessageAttachment{ID: id, URL: a.URL, Filename: name, ContentType: contentType, Size: len(data)}
}
