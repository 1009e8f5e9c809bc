package discord

import (
	"errors"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
)

// A component's custom ID carries an action and an entity ID only
// ("take:42"): everything else (who may click, whether the entity is still
// in a state that allows it) is checked again by the use case on every
// click, so a forged or stale ID can do nothing the clicker may not do.

// Component actions.
const (
	actApproveAccount    = "acc-ok"
	actRejectAccount     = "acc-no"
	actApproveAgent      = "ag-ok"
	actRejectAgent       = "ag-no"
	actApproveWithdrawal = "wd-ok"
	actRejectWithdrawal  = "wd-no"
	actTake              = "take"
	actComplete          = "done"
	actRejectTransfer    = "tr-no"
	// actRelease gives a taken transfer back to the queue.
	actRelease = "tr-free"
	// actPick is a queue card's menu: its value is the transfer to take.
	actPick         = "pick"
	actConfirmQuote = "send"
	// actConfirmFromBalance confirms a quote to be paid from the client's
	// balance in the send currency.
	actConfirmFromBalance = "send-bal"
	actRegister           = "register"
	actCountry            = "country"
	actUserType           = "usertype"
	actConfirmDeposit     = "dep-ok"
	actRejectDeposit      = "dep-no"
	actApproveRefund      = "ref-ok"
	actRejectRefund       = "ref-no"
)

var knownActions = map[string]bool{
	actApproveAccount: true, actRejectAccount: true, actApproveWithdrawal: true, actRejectWithdrawal: true,
	actTake: true, actComplete: true, actRejectTransfer: true, actConfirmQuote: true,
	actRegister: true, actCountry: true, actUserType: true, actApproveAgent: true, actRejectAgent: true,
	actConfirmDeposit: true, actRejectDeposit: true, actConfirmFromBalance: true,
	actApproveRefund: true, actRejectRefund: true, actRelease: true, actPick: true,
}

var errBadCustomID = errors.New("discord: malformed custom ID")

// customID builds "action:id"; id 0 means the action needs none.
func customID(action string, id cambista.ID) string {
	if id == 0 {
		return action
	}
	return action + ":" + strconv.FormatInt(int64(id), 10)
}

// parseCustomID reads what customID wrote, refusing anything else: unknown
// actions, IDs that are not positive integers, extra parts, long input.
func parseCustomID(s string) (action string, id cambista.ID, err error) {
	if len(s) == 0 || len(s) > 100 {
		return "", 0, errBadCustomID
	}
	action, rest, hasID := strings.Cut(s, ":")
	if !knownActions[action] {
		return "", 0, errBadCustomID
	}
	if !hasID {
		return action, 0, nil
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != rest {
		return "", 0, errBadCustomID
	}
	return action, cambista.ID(n), nil
}
