-- +goose Up
-- A journal entry keeps what it is for as a kind and the parameters of the
-- kind's message (a JSON object of strings), rendered when read in the
-- reader's language, instead of English words matched back to a message.
-- Words were read as a kind's when they were exactly what its message
-- renders for the entry's ref_id; so they are here. Any other words become
-- a "text" entry that shows them as they are.
ALTER TABLE journal_entries ADD COLUMN kind TEXT, ADD COLUMN params TEXT;
UPDATE journal_entries SET kind = CASE description
    WHEN 'transfer ' || ref_id THEN 'transfer'
    WHEN 'batch ' || ref_id || ' capital' THEN 'batch_capital'
    WHEN 'batch ' || ref_id || ' capital returned' THEN 'batch_returned'
    WHEN 'withdrawal' THEN 'withdrawal'
    ELSE 'text' END;
UPDATE journal_entries SET params = CASE kind
    WHEN 'text' THEN jsonb_build_object('Text', description)::text
    WHEN 'withdrawal' THEN '{}'
    ELSE jsonb_build_object('ID', ref_id::text)::text END;
ALTER TABLE journal_entries ALTER COLUMN kind SET NOT NULL, ALTER COLUMN params SET NOT NULL,
    DROP COLUMN description;

-- +goose Down
ALTER TABLE journal_entries ADD COLUMN description TEXT;
UPDATE journal_entries SET description = CASE kind
    WHEN 'transfer' THEN 'transfer ' || (params::jsonb ->> 'ID')
    WHEN 'batch_capital' THEN 'batch ' || (params::jsonb ->> 'ID') || ' capital'
    WHEN 'batch_returned' THEN 'batch ' || (params::jsonb ->> 'ID') || ' capital returned'
    WHEN 'withdrawal' THEN 'withdrawal'
    ELSE COALESCE(params::jsonb ->> 'Text', kind) END;
ALTER TABLE journal_entries ALTER COLUMN description SET NOT NULL, DROP COLUMN params, DROP COLUMN kind;
