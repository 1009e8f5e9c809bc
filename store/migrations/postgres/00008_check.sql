-- +goose Up
-- cambista_check raises an error (SQLSTATE CB001, with the message given)
-- when ok is false. A statement held in a pipeline uses it to refuse its
-- transaction: the server then aborts it, and answers ROLLBACK to the
-- COMMIT sent after it, where a row count read by the client would come
-- too late.
-- +goose StatementBegin
CREATE FUNCTION cambista_check(ok BOOLEAN, message TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT ok THEN
        RAISE EXCEPTION USING ERRCODE = 'CB001', MESSAGE = message;
    END IF;
    RETURN ok;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION cambista_check(BOOLEAN, TEXT);
