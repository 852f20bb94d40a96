// Compiles ixrules' exported JSON Schemas with the real Ajv (Draft 2020-12, with ajv-formats and
// ajv-errors, as a JavaScript app would load them) and validates bodies with them. Run by
// tests/test_ajv.py, which writes the job on stdin:
//   {"schemas": {ENDPOINT: SCHEMA, ...}, "bodies": [{"endpoint": ENDPOINT, "body": BODY}, ...]}
// and reads on stdout, for each mode (Ajv's default options; strict: true):
//   {MODE: {"compile": {ENDPOINT: ERROR, ...}, "errors": [[MESSAGE, ...] per body]}}
"use strict";

const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const ajvErrors = require("ajv-errors").default;

const MODES = {
  // ajv-errors needs allErrors; everything else is Ajv's default (strict schema, "log" types)
  default: { allErrors: true },
  strict: { allErrors: true, strict: true },
};

function run(job) {
  const out = {};
  for (const [mode, options] of Object.entries(MODES)) {
    const logged = [];
    const ajv = new Ajv2020({
      ...options,
      logger: { log() {}, warn: (...args) => logged.push(args.join(" ")), error: console.error },
    });
    addFormats(ajv);
    ajvErrors(ajv);
    const compile = {};
    const validators = {};
    for (const [endpoint, schema] of Object.entries(job.schemas)) {
      logged.length = 0;
      try {
        validators[endpoint] = ajv.compile(schema);
        if (logged.length) compile[endpoint] = `warned: ${logged.join("; ")}`;
      } catch (error) {
        compile[endpoint] = String(error.message);
      }
    }
    const errors = job.bodies.map(({ endpoint, body }) => {
      const validate = validators[endpoint];
      if (validate === undefined) return ["(not compiled)"];
      return validate(body) ? [] : validate.errors.map((error) => error.message);
    });
    out[mode] = { compile, errors };
  }
  return out;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => process.stdout.write(JSON.stringify(run(JSON.parse(input)))));
