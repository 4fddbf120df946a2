/**
 * What main.ts needs to parse and explain each command (name, summary, usage, help, options,
 * positionals) without loading its implementation: the implementations, and the dependencies they
 * pull in (undici, pino, yaml, ajv, chokidar…), are imported only when a command runs (index.ts).
 * This keeps `sinkops --version` and `--help` within SPEC §10 "Start-up".
 *
 * Each entry must equal the metadata of the command its module exports:
 * test/cli/command-metadata.test.ts compares them. When a command's options or help change, change
 * them here too.
 */
import type { Command } from '../command.js';

export type CommandMetadata = Omit<Command, 'run'>;

/** Every subcommand, in the order `sinkops --help` lists them. */
export const COMMAND_METADATA: readonly CommandMetadata[] = [
  {
    "name": "validate",
    "summary": "Check the sink YAML files (schema, names, ${ENV} references) without contacting Twilio",
    "usage": "validate [--dir sinks] [--format text|json|github] [--no-env-check]",
    "help": {
      "--dir DIR": "folder of sink YAML files (default sinks)",
      "--format F": "text (default), json, or github (workflow-command annotations for GitHub Actions)",
      "--no-env-check": "do not warn about ${VAR} references whose variable is not set (for CI without secrets, e.g. a fork's pull request)"
    },
    "options": {
      "dir": {
        "type": "string"
      },
      "format": {
        "type": "string"
      },
      "no-env-check": {
        "type": "boolean"
      }
    }
  },
  {
    "name": "plan",
    "summary": "Compare the repository with the account and show what apply would change",
    "usage": "plan [--dir sinks] [--format text|markdown|json] [--max-chars N] [--out plan.json] [--detailed-exitcode] [--no-prune] [--allow-empty] [--stack S] [--local] [--watch] [--replace NAME]... [--sink-limit N] [--annotations] [--deadline SECONDS]",
    "help": {
      "--dir DIR": "folder of sink YAML files (default sinks)",
      "--no-prune": "keep managed sinks that are no longer in the repository",
      "--allow-empty": "permit a plan that deletes every managed sink",
      "--stack S": "manage only sinks marked [sinkops:S/<name>]",
      "--local": "use the embedded local account (.sinkops/local-account.json), no credentials needed",
      "--sink-limit N": "the most sinks the account may hold (default 100, Twilio's limit; raise it only if Twilio raised yours)",
      "--replace NAME": "replace this sink even if nothing differs, e.g. to send a rotated secret (repeatable)",
      "--format F": "text (default), markdown (pull-request comment) or json",
      "--max-chars N": "markdown: the most characters (default 65000, for a comment; 1000000 for a job summary); deletes, replacements and blocked actions are cut last",
      "--out FILE": "also save the plan as JSON, for `sinkops apply FILE`",
      "--detailed-exitcode": "exit 2 when apply would send changes (0: nothing to do, or only blocked actions; 1: error)",
      "--watch": "plan again whenever a sink file changes (remote state read once)",
      "--verbose": "list unchanged sinks too",
      "--annotations": "also print each plan error as a GitHub Actions error annotation (::error file=…) on stderr",
      "--deadline SECONDS": "give up after this long, retries included, cancelling requests in flight (default 1800, or SINKOPS_DEADLINE)"
    },
    "options": {
      "dir": {
        "type": "string"
      },
      "no-prune": {
        "type": "boolean"
      },
      "allow-empty": {
        "type": "boolean"
      },
      "stack": {
        "type": "string"
      },
      "local": {
        "type": "boolean"
      },
      "sink-limit": {
        "type": "string"
      },
      "replace": {
        "type": "string",
        "multiple": true
      },
      "deadline": {
        "type": "string"
      },
      "format": {
        "type": "string"
      },
      "max-chars": {
        "type": "string"
      },
      "out": {
        "type": "string"
      },
      "detailed-exitcode": {
        "type": "boolean"
      },
      "watch": {
        "type": "boolean"
      },
      "verbose": {
        "type": "boolean"
      },
      "annotations": {
        "type": "boolean"
      }
    }
  },
  {
    "name": "apply",
    "summary": "Make the account match the repository (or apply a saved plan exactly)",
    "usage": "apply [plan.json] [--dir sinks] [--dry-run] [--yes] [--parallelism N] [--max-deletes N] [--no-prune] [--allow-empty] [--stack S] [--local] [--replace NAME]... [--sink-limit N] [--format text|markdown|json] [--expect-plan-hash sha256:…] [--deadline SECONDS] [--break-lease]",
    "positionals": [
      "plan.json"
    ],
    "help": {
      "plan.json": "a plan saved by `sinkops plan --out`: applied exactly, refused when the account changed since",
      "--dir DIR": "folder of sink YAML files (default sinks)",
      "--no-prune": "keep managed sinks that are no longer in the repository",
      "--allow-empty": "permit a plan that deletes every managed sink",
      "--stack S": "manage only sinks marked [sinkops:S/<name>]",
      "--local": "use the embedded local account (.sinkops/local-account.json), no credentials needed",
      "--sink-limit N": "the most sinks the account may hold (default 100, Twilio's limit; raise it only if Twilio raised yours)",
      "--replace NAME": "replace this sink even if nothing differs, e.g. to send a rotated secret (repeatable)",
      "--dry-run": "show what would be done; send no creating, changing or deleting request (secrets need not be set: it says which are missing)",
      "--yes": "apply without asking (required when not on a terminal)",
      "--parallelism N": "actions in flight at once (default 10; narrows itself on HTTP 429)",
      "--max-deletes N": "refuse plans that delete more sinks than this, replacements included (default 10)",
      "--format F": "the result summary as text (default), markdown or json",
      "--expect-plan-hash H": "apply only if the plan is this reviewed one (its hash, as in the pull-request comment); otherwise print the plan and apply nothing",
      "--break-lease": "remove the lease another apply left on the account (only when that apply is gone for sure)",
      "--deadline SECONDS": "give up after this long, retries included, cancelling requests in flight (default 1800, or SINKOPS_DEADLINE)"
    },
    "options": {
      "dir": {
        "type": "string"
      },
      "no-prune": {
        "type": "boolean"
      },
      "allow-empty": {
        "type": "boolean"
      },
      "stack": {
        "type": "string"
      },
      "local": {
        "type": "boolean"
      },
      "sink-limit": {
        "type": "string"
      },
      "replace": {
        "type": "string",
        "multiple": true
      },
      "deadline": {
        "type": "string"
      },
      "dry-run": {
        "type": "boolean"
      },
      "yes": {
        "type": "boolean",
        "short": "y"
      },
      "parallelism": {
        "type": "string"
      },
      "max-deletes": {
        "type": "string"
      },
      "format": {
        "type": "string"
      },
      "expect-plan-hash": {
        "type": "string"
      },
      "break-lease": {
        "type": "boolean"
      }
    }
  },
  {
    "name": "activate",
    "summary": "Activate a sink that is not active (older kinesis flow): send a test event, then validate it with its test id",
    "usage": "activate NAME [--test-id ID] [--stack S] [--local] [--deadline SECONDS]",
    "positionals": [
      "NAME"
    ],
    "help": {
      "NAME": "the sink name from the repository (its marker finds the sink)",
      "--test-id ID": "the test_id read from the stream: validates the sink, which becomes active",
      "--stack S": "the stack the sink belongs to",
      "--local": "use the embedded local account",
      "--deadline SECONDS": "give up after this long, retries included, cancelling requests in flight (default 1800, or SINKOPS_DEADLINE)"
    },
    "options": {
      "test-id": {
        "type": "string"
      },
      "stack": {
        "type": "string"
      },
      "local": {
        "type": "boolean"
      },
      "deadline": {
        "type": "string"
      }
    }
  },
  {
    "name": "import",
    "summary": "Write sink files (pinned by sid) for the account's existing unmanaged sinks and their subscriptions",
    "usage": "import [--out-dir sinks] [--local] [--deadline SECONDS]",
    "help": {
      "--out-dir DIR": "where to write <name>.yaml files (default sinks); existing files are never overwritten",
      "--local": "import from the embedded local account",
      "--deadline SECONDS": "give up after this long, retries included, cancelling requests in flight (default 1800, or SINKOPS_DEADLINE)"
    },
    "options": {
      "out-dir": {
        "type": "string"
      },
      "local": {
        "type": "boolean"
      },
      "deadline": {
        "type": "string"
      }
    }
  },
  {
    "name": "emulator",
    "summary": "Run a local Twilio Events API (sinks, subscriptions, event types) for tests and offline work",
    "usage": "emulator [--port 4010] [--host 127.0.0.1] [--state FILE] [--seed FILE] [--sink-limit N]\n                [--activation current|legacy] [--read-back exact|defaults|masked] [--latency MS] [--error-rate R]\n                [--rate-limit-rate R] [--retry-after S] [--concurrency-limit N] [--drop-rate R] [--drop-after-commit-rate R]",
    "help": {
      "--port N": "port to listen on (default 4010; 0 picks a free one)",
      "--host HOST": "interface to bind (default 127.0.0.1)",
      "--state FILE": "keep the account in FILE (JSON, configurations sealed) across restarts; default: in memory",
      "--seed FILE": "JSON or YAML with {\"sinks\": [...], \"subscriptions\": [...]} to start an empty account with",
      "--account-sid SID": "account SID to accept (default TWILIO_ACCOUNT_SID, else a fixed test SID)",
      "--auth-token TOKEN": "auth token to accept (default TWILIO_AUTH_TOKEN, else a fixed test token)",
      "--sink-limit N": "creates past N sinks are refused with error 91003 (default 100, as Twilio; a seed may hold more)",
      "--activation MODE": "current (default: sinks active on creation) or legacy (kinesis: Test, then Validate)",
      "--read-back MODE": "exact (default: as stored), defaults (webhook method, batch_events added) or masked (secrets hidden)",
      "--latency MS": "milliseconds added to every API response",
      "--error-rate R": "fraction of requests answered 500",
      "--rate-limit-rate R": "fraction of requests answered 429",
      "--retry-after S": "Retry-After seconds on 429 answers (default: none, as Twilio)",
      "--concurrency-limit N": "requests in flight beyond N are answered 429",
      "--drop-rate R": "fraction of requests whose connection is dropped without an answer",
      "--drop-after-commit-rate R": "fraction of creates whose connection is dropped after the create is stored"
    },
    "options": {
      "port": {
        "type": "string"
      },
      "host": {
        "type": "string"
      },
      "state": {
        "type": "string"
      },
      "seed": {
        "type": "string"
      },
      "account-sid": {
        "type": "string"
      },
      "auth-token": {
        "type": "string"
      },
      "sink-limit": {
        "type": "string"
      },
      "activation": {
        "type": "string"
      },
      "read-back": {
        "type": "string"
      },
      "latency": {
        "type": "string"
      },
      "error-rate": {
        "type": "string"
      },
      "rate-limit-rate": {
        "type": "string"
      },
      "retry-after": {
        "type": "string"
      },
      "concurrency-limit": {
        "type": "string"
      },
      "drop-rate": {
        "type": "string"
      },
      "drop-after-commit-rate": {
        "type": "string"
      }
    }
  },
  {
    "name": "github",
    "summary": "GitHub Actions: the sticky plan comment, the reviewed plan hash, the drift issue",
    "usage": "github comment --file plan.md [--pr N] [--stack S] [--new] [--author LOGIN] [--deadline SECONDS]\n       sinkops github reviewed-hash [--pr N] [--stack S] [--author LOGIN] [--deadline SECONDS]\n       sinkops github drift --file plan.md --plan-json plan.json [--title T] [--label L]... [--stack S] [--author LOGIN] [--deadline SECONDS]",
    "positionals": [
      "comment|reviewed-hash|drift"
    ],
    "help": {
      "comment": "create or edit the sticky comment (found by a hidden marker) with the text of --file",
      "reviewed-hash": "print the plan hash of the sticky comment (what was reviewed), for `apply --expect-plan-hash`",
      "drift": "keep one issue open while the plan of main has changes apply would make (edited in place), closed when none",
      "--file FILE": "comment: the text to post; drift: the Markdown plan (`sinkops plan --format markdown` output)",
      "--plan-json FILE": "drift: the same plan as JSON (`--out plan.json`), which decides whether there is drift",
      "--title T": "drift: the issue's title (default 'sinkops: the account differs from main')",
      "--label L": "drift: a label for a new issue (repeatable)",
      "--pr N": "the pull request (default: from the workflow event; after a push, the pull request merged as GITHUB_SHA)",
      "--stack S": "one sticky comment (and drift issue) per stack: the marker becomes <!-- sinkops:sticky:S -->",
      "--new": "comment: post a new comment instead of editing the sticky one (apply results)",
      "--author LOGIN": "only this author's comments and issues are sinkops's (default github-actions[bot])",
      "--deadline SECONDS": "give up after this long, retries included, cancelling requests in flight (default 1800, or SINKOPS_DEADLINE)"
    },
    "options": {
      "deadline": {
        "type": "string"
      },
      "file": {
        "type": "string"
      },
      "pr": {
        "type": "string"
      },
      "stack": {
        "type": "string"
      },
      "new": {
        "type": "boolean"
      },
      "author": {
        "type": "string"
      },
      "plan-json": {
        "type": "string"
      },
      "title": {
        "type": "string"
      },
      "label": {
        "type": "string",
        "multiple": true
      }
    }
  },
  {
    "name": "init",
    "summary": "Write a starter repository: an example sink, GitHub workflows using the sinkops action, editor schema settings",
    "usage": "init [--dir .] [--stack S] [--force]",
    "help": {
      "--dir DIR": "the repository to write into (default: the current folder); created when missing",
      "--stack S": "the stack the workflows plan and apply (--stack of every step)",
      "--force": "overwrite files that exist (without it they are skipped and listed)"
    },
    "options": {
      "dir": {
        "type": "string"
      },
      "stack": {
        "type": "string"
      },
      "force": {
        "type": "boolean"
      }
    }
  }
];
