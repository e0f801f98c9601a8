-- MealPlanner schema. Idempotent: the app applies it on every start and seeding applies it first,
-- so each statement must be safe to run again (IF NOT EXISTS). Every query the API issues is served
-- by an index named here or by a primary key; the comment on each index names the query it serves.
-- Names and orders are compared byte-wise (COLLATE "C") so that sorting matches the API's ordinal
-- order whatever the database's locale.

-- Trigram indexes make the recipe search (name ILIKE '%text%') an index scan instead of a table scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS users (
    id                   integer PRIMARY KEY,
    -- Stored lower-case; logins look it up lower-cased, so the unique index below serves them.
    email                text COLLATE "C" NOT NULL,
    -- PBKDF2 in a self-describing format: pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>.
    password_hash        text NOT NULL,
    -- Tags every planned recipe must carry, e.g. {vegetarian,gluten-free}.
    dietary_preferences  text[] NOT NULL DEFAULT '{}'
);

-- POST /auth/login: the user by e-mail.
CREATE UNIQUE INDEX IF NOT EXISTS ux_users_email ON users (email);

CREATE TABLE IF NOT EXISTS recipes (
    id               integer PRIMARY KEY,
    name             text COLLATE "C" NOT NULL,
    meal_type        text NOT NULL CHECK (meal_type IN ('breakfast', 'lunch', 'dinner')),
    prep_minutes     integer NOT NULL CHECK (prep_minutes > 0),
    -- What the planner varies within a day: no main ingredient twice on one day.
    main_ingredient  text COLLATE "C" NOT NULL,
    dietary_tags     text[] NOT NULL DEFAULT '{}'
);

-- GET /recipes without search: the first page by name, then id.
CREATE INDEX IF NOT EXISTS ix_recipes_name_id ON recipes (name, id);

-- GET /recipes?search=: case-insensitive substring match on the name.
CREATE INDEX IF NOT EXISTS ix_recipes_name_trgm ON recipes USING gin (name gin_trgm_ops);

CREATE TABLE IF NOT EXISTS recipe_ingredients (
    recipe_id  integer NOT NULL REFERENCES recipes (id),
    position   smallint NOT NULL,
    name       text COLLATE "C" NOT NULL,
    quantity   numeric(10, 2) NOT NULL CHECK (quantity > 0),
    unit       text COLLATE "C" NOT NULL,
    -- Leads with recipe_id: GET /recipes/{id} and the shopping list read a recipe's ingredients through it.
    PRIMARY KEY (recipe_id, position)
);

CREATE TABLE IF NOT EXISTS favourites (
    user_id    integer NOT NULL REFERENCES users (id),
    recipe_id  integer NOT NULL REFERENCES recipes (id),
    -- GET /favourites and plan generation read one user's favourites through it.
    PRIMARY KEY (user_id, recipe_id)
);

-- One row per planned week and user: the generation number that seeds the week's draw, so a plan
-- is reproducible and regenerating a week draws anew.
CREATE TABLE IF NOT EXISTS plan_weeks (
    user_id       integer NOT NULL REFERENCES users (id),
    week_start    date NOT NULL,
    generation    integer NOT NULL CHECK (generation > 0),
    generated_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, week_start)
);

CREATE TABLE IF NOT EXISTS planned_meals (
    user_id    integer NOT NULL REFERENCES users (id),
    date       date NOT NULL,
    meal_type  text NOT NULL CHECK (meal_type IN ('breakfast', 'lunch', 'dinner')),
    recipe_id  integer NOT NULL REFERENCES recipes (id),
    -- GET /plan, GET /shopping and plan generation read a user's date range through it.
    PRIMARY KEY (user_id, date, meal_type)
);

-- Written last by seeding, in the same transaction as the data: its row says the data is complete.
CREATE TABLE IF NOT EXISTS seed_marker (
    seed_version  integer PRIMARY KEY,
    seeded_at     timestamptz NOT NULL
);
