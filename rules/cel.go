package rules

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/google/cel-go/cel"

	"github.com/cambista/cambista"
)

// Limits on CEL. The cost limit bounds the work of one evaluation (a
// comparison costs about 1, each comprehension step a few), so a runaway
// expression fails fast instead of stalling a quote; ordinary rules cost
// well under 100. The interrupt check lets a cancelled context stop a long
// comprehension between cost checks.
const (
	celCostLimit      = 10000
	celInterruptEvery = 100
	celMaxLen         = 2000 // characters of one expression
)

// Names of the CEL variables; doc.go documents them.
const (
	varAmount      = "amount"
	varAmountMajor = "amount_major"
	varFromCur     = "from_currency"
	varToCur       = "to_currency"
	varFromCountry = "from_country"
	varToCountry   = "to_country"
	varUserType    = "user_type"
	varHasReferrer = "has_referrer"
	varWeekday     = "weekday"
	varHour        = "hour"
	varSentToday   = "sent_today"
	varSentMonth   = "sent_month"
)

// celEnv is built once: its declarations never change, and building it
// takes milliseconds.
var celEnv = sync.OnceValue(func() *cel.Env {
	env, err := cel.NewEnv(
		cel.Variable(varAmount, cel.IntType),
		cel.Variable(varAmountMajor, cel.StringType),
		cel.Variable(varFromCur, cel.StringType),
		cel.Variable(varToCur, cel.StringType),
		cel.Variable(varFromCountry, cel.StringType),
		cel.Variable(varToCountry, cel.StringType),
		cel.Variable(varUserType, cel.StringType),
		cel.Variable(varHasReferrer, cel.BoolType),
		cel.Variable(varWeekday, cel.IntType),
		cel.Variable(varHour, cel.IntType),
		cel.Variable(varSentToday, cel.IntType),
		cel.Variable(varSentMonth, cel.IntType),
	)
	if err != nil { // the declarations above are constant: only a programming error gets here
		panic("rules: CEL environment: " + err.Error())
	}
	return env
})

// Fields that hold CEL, as named in messages.
const (
	fieldCondition = "condition"
	fieldFormula   = "effect.formula"
)

// compile type-checks src and returns its program, or EINVALID saying what
// is wrong: the compiler's own message, or the type the expression gives
// when it is not want (bool for a condition, int for a formula, so that no
// double ever reaches money).
func compile(field, src string, want *cel.Type) (cel.Program, error) {
	if utf8.RuneCountInString(src) > celMaxLen {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgRuleCELTooLong.Msg("Field", field, "Max", celMaxLen))
	}
	env := celEnv()
	ast, iss := env.Compile(src)
	if err := iss.Err(); err != nil {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgRuleCELError.Msg(
			"Field", field, "Error", strings.TrimSpace(err.Error())))
	}
	if got := ast.OutputType(); !got.IsExactType(want) {
		def := cambista.MsgRuleCELBool
		if want.IsExactType(cel.IntType) {
			def = cambista.MsgRuleCELInt
		}
		return nil, cambista.Errorf(cambista.EINVALID, def.Msg("Field", field, "Got", got.String()))
	}
	prg, err := env.Program(ast,
		cel.CostLimit(celCostLimit),
		cel.InterruptCheckFrequency(celInterruptEvery),
	)
	if err != nil {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgRuleCELError.Msg(
			"Field", field, "Error", err.Error()))
	}
	return prg, nil
}

// eval runs prg; with a nil ctx only the cost limit stops it. Any failure,
// the cost limit included, is EINVALID naming the rule: the rule is broken,
// not the system (cel-go recovers its own panics into errors). A cancelled
// ctx is returned as the context's error, which the caller knows.
func eval(ctx context.Context, r *Rule, prg cel.Program, vars map[string]any) (any, error) {
	var (
		out any
		err error
	)
	if ctx != nil {
		v, _, e := prg.ContextEval(ctx, vars)
		err = e
		if e == nil {
			out = v.Value()
		}
	} else {
		v, _, e := prg.Eval(vars)
		err = e
		if e == nil {
			out = v.Value()
		}
	}
	if err != nil {
		if ctx != nil && ctx.Err() != nil {
			// Cancelled by the caller: the rule is not at fault.
			return nil, fmt.Errorf("rule %d v%d: %w", r.ID, r.Version, context.Cause(ctx))
		}
		return nil, ruleFailed(r, err)
	}
	return out, nil
}

func ruleFailed(r *Rule, err error) error {
	return &cambista.Error{
		Code: cambista.EINVALID,
		Message: cambista.MsgRuleCELRuntime.Msg(
			"Name", r.Name, "ID", r.ID, "Version", r.Version, "Error", err.Error()),
		Err: fmt.Errorf("rule %d v%d: %w", r.ID, r.Version, err),
	}
}
