package discordtest

import (
	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

// Wire returns the interaction as Discord sends it (see wire.Interaction).
// The fake dispatches this JSON, and tests of the HTTP interactions
// endpoint post it.
func Wire(i *discordgo.Interaction) any { return wire.Interaction(i) }
