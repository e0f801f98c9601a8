-- EventPlatform schema. Idempotent: the app applies it on every start and seeding applies it first, so
-- each statement must be safe to run again (IF NOT EXISTS). The capacity rule lives here, not only in
-- code: no RSVP can be counted past an event's capacity, whatever a request does.

CREATE TABLE IF NOT EXISTS members (
    id          integer PRIMARY KEY,
    email       text COLLATE "C" NOT NULL UNIQUE,
    -- What the member's confirmed payments add up to; only the payment webhook changes it.
    paid_cents  bigint NOT NULL DEFAULT 0 CHECK (paid_cents >= 0)
);

CREATE TABLE IF NOT EXISTS events (
    id          integer PRIMARY KEY,
    title       text NOT NULL,
    starts_at   timestamptz NOT NULL,
    capacity    integer NOT NULL CHECK (capacity > 0),
    rsvp_count  integer NOT NULL DEFAULT 0,
    -- Bumped by every RSVP and cancellation: the room broadcasts counts in this order and drops stale ones.
    version     bigint NOT NULL DEFAULT 0,
    CONSTRAINT ck_events_within_capacity CHECK (rsvp_count BETWEEN 0 AND capacity)
);

-- GET /events: upcoming events by start, then id.
CREATE INDEX IF NOT EXISTS ix_events_starts_at_id ON events (starts_at, id);

CREATE TABLE IF NOT EXISTS rsvps (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    integer NOT NULL REFERENCES events (id),
    member_id   integer NOT NULL REFERENCES members (id),
    created_at  timestamptz NOT NULL
);

-- One RSVP per member and event; also serves DELETE /events/{id}/rsvps/mine.
CREATE UNIQUE INDEX IF NOT EXISTS ux_rsvps_event_member ON rsvps (event_id, member_id);

-- The idempotency record of the payment webhook: one row per provider event id, written in the same
-- transaction as the payment it caused, so a replay finds it and changes nothing.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    event_id     text COLLATE "C" PRIMARY KEY,
    type         text NOT NULL,
    received_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS payments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_event_id  text COLLATE "C" NOT NULL,
    member_id         integer NOT NULL REFERENCES members (id),
    amount_cents      integer NOT NULL CHECK (amount_cents > 0),
    created_at        timestamptz NOT NULL
);

-- Audits and support look payments up by the webhook that caused them.
CREATE INDEX IF NOT EXISTS ix_payments_webhook_event_id ON payments (webhook_event_id);

-- Which seed version wrote the data; a database seeded by another version is refused, not mixed.
CREATE TABLE IF NOT EXISTS seed_marker (
    seed_version  integer NOT NULL,
    seeded_at     timestamptz NOT NULL
);
