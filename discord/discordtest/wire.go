package discordtest

import "github.com/bwmarrin/discordgo"

// Wire returns the interaction as Discord sends it. discordgo leaves
// components out of its JSON in two places it only decodes: a modal
// submission's text inputs and the message a component was on; they are
// put back here, everything else marshals as it is. The fake dispatches
// this JSON, and tests of the HTTP interactions endpoint post it.
func Wire(i *discordgo.Interaction) any {
	out := wireInteraction{Interaction: i, Data: i.Data}
	if d, ok := i.Data.(discordgo.ModalSubmitInteractionData); ok {
		out.Data = modalData{CustomID: d.CustomID, Components: d.Components}
	}
	if i.Message != nil {
		out.Message = wireMessage(i.Message)
	}
	return out
}

// wireInteraction shadows the embedded interaction's data and message.
type wireInteraction struct {
	*discordgo.Interaction
	Data    any `json:"data"`
	Message any `json:"message"`
}

type modalData struct {
	CustomID   string                       `json:"custom_id"`
	Components []discordgo.MessageComponent `json:"components"`
}

// wireMessage is a message's JSON with its components, which
// discordgo.Message does not marshal.
func wireMessage(m *discordgo.Message) any {
	comps := m.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return struct {
		*discordgo.Message
		Components []discordgo.MessageComponent `json:"components"`
	}{m, comps}
}
