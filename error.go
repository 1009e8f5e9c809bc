package cambista

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map them to HTTP statuses and Discord replies in one
// place each; tests assert on them.
const (
	EINVALID      = "invalid"      // the input is wrong; the message says what was expected
	ENOTFOUND     = "not_found"    // the entity does not exist
	ECONFLICT     = "conflict"     // the entity's state forbids the action, or a key was reused
	EFORBIDDEN    = "forbidden"    // the actor may not do this
	EINSUFFICIENT = "insufficient" // not enough balance or capital
	EINTERNAL     = "internal"     // a fault of ours; the person sees a generic message
)

// Error is an application error: a code, a message for a person, and the
// underlying cause for the logs.
type Error struct {
	Code    string
	Message Message
	Err     error
}

func (e *Error) Error() string {
	s := e.Message.String()
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, s, e.Err)
	}
	return e.Code + ": " + s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and message.
func Errorf(code string, m Message) *Error { return &Error{Code: code, Message: m} }

// Internal wraps an unexpected error; the person sees MsgInternal.
func Internal(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Message: MsgInternal.Msg(), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a person should read for err.
func ErrorMessage(err error) Message {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return MsgInternal.Msg()
}
