package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/bwmarrin/discordgo"
)

// interactionState is an interaction the fake sent and how it was
// answered.
type interactionState struct {
	i    *discordgo.Interaction
	resp *discordgo.InteractionResponse
	// original is the message that @original names: the response message
	// (types 4 and 5) or the message a component was on (types 6 and 7).
	original string
	// loading is set after a deferred response (type 5) until it is
	// completed, by editing @original or by the first follow-up.
	loading bool
}

// SendInteraction dispatches INTERACTION_CREATE, as when a person uses a
// command, a component or a modal. It fills in the interaction's ID,
// Token, AppID and Version when empty, remembers the interaction so its
// callback, @original and follow-ups can be matched, and returns i.
func (s *Server) SendInteraction(i *discordgo.Interaction) *discordgo.Interaction {
	if i.ID == "" {
		i.ID = s.ids.next()
	}
	if i.Token == "" {
		i.Token = "fake-interaction-" + randomHex(24)
	}
	if i.AppID == "" {
		i.AppID = AppID
	}
	if i.Version == 0 {
		i.Version = 1
	}
	cp := *i
	s.mu.Lock()
	is := &interactionState{i: &cp}
	s.st.interactions[cp.ID] = is
	s.st.tokens[cp.Token] = is
	s.mu.Unlock()
	s.Dispatch("INTERACTION_CREATE", Wire(i))
	return i
}

// invoker fills in who interacts: a member of the guild, or else a user
// in a DM.
func (s *Server) invoker(i *discordgo.Interaction, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.st.members[userID]; m != nil {
		i.Member = m.discord()
		i.GuildID = GuildID
		i.Locale = m.locale
		gl := discordgo.EnglishUS
		i.GuildLocale = &gl
		i.Context = discordgo.InteractionContextGuild
		return
	}
	i.User = s.st.user(userID)
	i.Locale = discordgo.EnglishUS
	i.Context = discordgo.InteractionContextBotDM
}

// Command dispatches a slash command by the user in the channel. data's
// ID is filled in from the registered command of the same name.
func (s *Server) Command(userID, channelID string, data discordgo.ApplicationCommandInteractionData) *discordgo.Interaction {
	if data.ID == "" {
		s.mu.Lock()
		for _, scope := range []string{GuildID, ""} {
			for _, c := range s.st.commands[scope] {
				if c.Name == data.Name {
					data.ID = c.ID
					data.CommandType = c.Type
				}
			}
		}
		s.mu.Unlock()
	}
	if data.CommandType == 0 {
		data.CommandType = discordgo.ChatApplicationCommand
	}
	i := &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand, ChannelID: channelID, Data: data}
	s.invoker(i, userID)
	return s.SendInteraction(i)
}

// Click dispatches a click on a button of the fake's message, or a choice
// in a select menu when values are given.
func (s *Server) Click(userID, channelID, messageID, customID string, values ...string) *discordgo.Interaction {
	data := discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}
	if values != nil {
		data.ComponentType = discordgo.SelectMenuComponent
		data.Values = values
	}
	i := &discordgo.Interaction{Type: discordgo.InteractionMessageComponent, ChannelID: channelID, Data: data}
	if m, ok := s.Message(channelID, messageID); ok {
		i.Message = m.Discord()
	} else {
		i.Message = &discordgo.Message{ID: messageID, ChannelID: channelID}
	}
	s.invoker(i, userID)
	return s.SendInteraction(i)
}

// SubmitModal dispatches the submission of a modal with text inputs,
// given as custom ID → value, in custom ID order.
func (s *Server) SubmitModal(userID, channelID, customID string, values map[string]string) *discordgo.Interaction {
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	data := discordgo.ModalSubmitInteractionData{CustomID: customID}
	for _, id := range ids {
		data.Components = append(data.Components, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			&discordgo.TextInput{CustomID: id, Value: values[id]},
		}})
	}
	i := &discordgo.Interaction{Type: discordgo.InteractionModalSubmit, ChannelID: channelID, Data: data}
	s.invoker(i, userID)
	return s.SendInteraction(i)
}

// Response returns how the bot answered the interaction (its callback),
// or nil before it did.
func (s *Server) Response(interactionID string) *discordgo.InteractionResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is := s.st.interactions[interactionID]; is != nil {
		return is.resp
	}
	return nil
}

// WaitResponse waits for the bot's callback to the interaction.
func (s *Server) WaitResponse(ctx context.Context, interactionID string) (*discordgo.InteractionResponse, error) {
	var resp *discordgo.InteractionResponse
	err := s.Wait(ctx, func() bool {
		resp = s.Response(interactionID)
		return resp != nil
	})
	return resp, err
}

// Original returns the interaction's @original message as it stands.
func (s *Server) Original(interactionID string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.st.interactions[interactionID]
	if is == nil {
		return Message{}, false
	}
	m := s.st.messages[is.original]
	if m == nil {
		return Message{}, false
	}
	return m.clone(), true
}

// allowed says which responses Discord accepts for each interaction type.
func allowed(it discordgo.InteractionType, rt discordgo.InteractionResponseType) bool {
	switch rt {
	case discordgo.InteractionResponsePong:
		return it == discordgo.InteractionPing
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		return it == discordgo.InteractionMessageComponent || it == discordgo.InteractionModalSubmit
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return it == discordgo.InteractionApplicationCommandAutocomplete
	case discordgo.InteractionResponseModal:
		return it == discordgo.InteractionApplicationCommand || it == discordgo.InteractionMessageComponent
	}
	return false
}

// responseFlags may be set on an interaction's messages.
const responseFlags = messageFlags | discordgo.MessageFlagsEphemeral

func interactionCallback(s *Server, rq *request) reply {
	is := s.st.interactions[rq.vars["id"]]
	if is == nil || is.i.Token != rq.vars["token"] {
		return apiError(http.StatusNotFound, codeUnknownInteraction, "Unknown interaction")
	}
	if is.resp != nil {
		return apiError(http.StatusBadRequest, codeAlreadyAcknowledged, "Interaction has already been acknowledged.")
	}
	in, md, err := parseResponse(rq.body)
	if err != nil {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
	}
	if !allowed(is.i.Type, in.Type) {
		return (&invalid{"type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type not allowed for this interaction"}).reply()
	}
	original := ""
	switch in.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		m := s.newMessage(is.i.ChannelID, md, rq.files)
		m.Flags &= responseFlags
		m.InteractionID = is.i.ID
		if m.empty() {
			return apiError(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
		}
		if err := validate(m); err != nil {
			return err.reply()
		}
		s.st.addMessage(m)
		original = m.ID
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		// The "thinking" message; only ephemerality is chosen now.
		m := s.newMessage(is.i.ChannelID, messageData{}, nil)
		if md.flags != nil {
			m.Flags = *md.flags & discordgo.MessageFlagsEphemeral
		}
		m.Flags |= discordgo.MessageFlagsLoading
		m.InteractionID = is.i.ID
		s.st.addMessage(m)
		original = m.ID
		is.loading = true
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		if is.i.Message != nil {
			original = is.i.Message.ID
		}
		if m := s.st.messages[original]; m != nil && in.Type == discordgo.InteractionResponseUpdateMessage {
			if rep := s.applyEdit(m, md, rq.files); rep.status != http.StatusOK {
				return rep
			}
		}
	case discordgo.InteractionResponseModal:
		if err := validateModal(md); err != nil {
			return err.reply()
		}
	}
	is.resp = in
	is.original = original
	return noContent()
}

// ParseResponse decodes an interaction response as Discord reads it, such
// as the body of the bot's HTTP interactions endpoint: discordgo cannot
// decode the components it marshals.
func ParseResponse(b []byte) (*discordgo.InteractionResponse, error) {
	resp, _, err := parseResponse(b)
	return resp, err
}

func parseResponse(b []byte) (*discordgo.InteractionResponse, messageData, error) {
	var in struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, messageData{}, err
	}
	md, err := parseMessageData(in.Data)
	if err != nil {
		return nil, md, err
	}
	resp := &discordgo.InteractionResponse{Type: in.Type, Data: &discordgo.InteractionResponseData{
		CustomID: md.customID,
		Title:    md.title,
		Choices:  md.choices,
	}}
	if md.content != nil {
		resp.Data.Content = *md.content
	}
	if md.embeds != nil {
		resp.Data.Embeds = *md.embeds
	}
	if md.components != nil {
		resp.Data.Components = *md.components
	}
	if md.flags != nil {
		resp.Data.Flags = *md.flags
	}
	resp.Data.AllowedMentions = md.mentions
	return resp, md, nil
}

// webhookInteraction finds the interaction whose token is in the path,
// as Discord finds the interaction's webhook.
func (st *state) webhookInteraction(rq *request) (*interactionState, *reply) {
	is := st.tokens[rq.vars["token"]]
	if is == nil || rq.vars["app"] != AppID || is.i.AppID != AppID {
		rep := apiError(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
		return nil, &rep
	}
	return is, nil
}

// webhookMessage resolves @original or a follow-up's ID.
func (st *state) webhookMessage(rq *request) (*interactionState, *Message, *reply) {
	is, rep := st.webhookInteraction(rq)
	if rep != nil {
		return nil, nil, rep
	}
	id := rq.vars["mid"]
	if id == "@original" {
		id = is.original
	}
	m := st.messages[id]
	if m == nil || (m.InteractionID != is.i.ID && id != is.original) {
		rep := apiError(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return nil, nil, &rep
	}
	return is, m, nil
}

func getWebhookMessage(s *Server, rq *request) reply {
	_, m, rep := s.st.webhookMessage(rq)
	if rep != nil {
		return *rep
	}
	return ok(m.wire())
}

func editWebhookMessage(s *Server, rq *request) reply {
	is, m, rep := s.st.webhookMessage(rq)
	if rep != nil {
		return *rep
	}
	md, err := parseMessageData(rq.body)
	if err != nil {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
	}
	out := s.applyEdit(m, md, rq.files)
	if out.status == http.StatusOK && m.ID == is.original {
		is.loading = false
	}
	return out
}

func deleteWebhookMessage(s *Server, rq *request) reply {
	_, m, rep := s.st.webhookMessage(rq)
	if rep != nil {
		return *rep
	}
	s.st.deleteMessage(m)
	return noContent()
}

// followup creates a follow-up message. After a deferred response, the
// first follow-up completes the "thinking" message instead (keeping its
// ephemerality), as on Discord. Without ?wait=true Discord answers 204.
func followup(s *Server, rq *request) reply {
	is, rep := s.st.webhookInteraction(rq)
	if rep != nil {
		return *rep
	}
	if is.resp == nil {
		// The webhook exists only once the interaction is acknowledged.
		return apiError(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
	}
	md, err := parseMessageData(rq.body)
	if err != nil {
		return apiError(http.StatusBadRequest, codeInvalidForm, "Invalid Form Body: "+err.Error())
	}
	var out reply
	if orig := s.st.messages[is.original]; is.loading && orig != nil {
		md.flags = nil
		out = s.applyEdit(orig, md, rq.files)
		if out.status == http.StatusOK {
			is.loading = false
		}
	} else {
		m := s.newMessage(is.i.ChannelID, md, rq.files)
		m.Flags &= responseFlags
		m.InteractionID = is.i.ID
		if m.empty() {
			return apiError(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
		}
		if err := validate(m); err != nil {
			return err.reply()
		}
		s.st.addMessage(m)
		out = ok(m.wire())
	}
	if out.status == http.StatusOK && rq.query.Get("wait") != "true" {
		return noContent()
	}
	return out
}
