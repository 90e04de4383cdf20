// Run the ml_emissions engine inside the real Pyodide runtime (node_modules/pyodide) under
// Node. Started by tests/pyodide/test_in_pyodide.py; usable by hand too:
//
//   node tests/pyodide/run_in_pyodide.mjs pytest --wheel ML_EMISSIONS.whl \
//        --test-wheel PYTEST.whl --test-wheel ... [--stdlib TRIMMED.zip] [-- PYTEST ARGS]
//   node tests/pyodide/run_in_pyodide.mjs compare --wheel ML_EMISSIONS.whl --input CASES.json \
//        [--stdlib TRIMMED.zip]
//
// Both modes first print one line "pyodide-runtime: {json}": the Python and Pyodide
// versions, the platform, where ml_emissions was imported from and the SHA-256 of the
// standard library zip Python runs with; and last one line "pyodide-outside-stdlib: [json]".
//
// --stdlib: Python runs with this standard library (the one the site ships, made by
//          sitebuild/trimmed_stdlib.py) instead of Pyodide's; the full one stays behind
//          it for the test code, and refuses the engine (stdlib_guard.py): the modules the
//          engine reached for outside the given library are the last line's list.
//
// pytest:  runs the engine's own tests with pytest inside Pyodide: tests/ of the
//          repository (mounted at /repo with NODEFS, so that they read data/*.csv) and
//          the doctests of the installed wheel. in_pyodide_plugin.py leaves out what
//          cannot run there and prints a summary line. Exits with pytest's exit code.
// compare: CASES.json is a JSON list; an object item is a mapping of string parameters,
//          given to ml_emissions.web.respond(); a string item is a request text, given to
//          ml_emissions.web.calculate(). Prints "pyodide-results: [json]", one reply per
//          item. The data reaches Python as a JSON string argument, never as source code.
//
// The wheels are unpacked into Pyodide's site-packages (in memory); nothing is fetched.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_MOUNT = "/repo";

// Fixed Python code; every value from outside is passed to these functions as an argument.
const PYTHON_HELPERS = `
import hashlib, importlib, json, os, platform, sys

importlib.invalidate_caches()

def _runtime(pyodide_version, mode):
    import ml_emissions
    stdlib = next(entry for entry in sys.path if entry.endswith(".zip"))
    with open(stdlib, "rb") as library:
        stdlib_sha256 = hashlib.sha256(library.read()).hexdigest()
    return json.dumps({
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": sys.platform,
        "pyodide": pyodide_version,
        "mode": mode,
        "ml_emissions": ml_emissions.__file__,
        "ml_emissions_version": ml_emissions.__version__,
        "stdlib_sha256": stdlib_sha256,
    })

def _outside_stdlib():
    guard = sys.modules.get("stdlib_guard")
    return json.dumps(guard.REACHED if guard else None)

def _compare(cases_json):
    from ml_emissions import web
    replies = []
    for case in json.loads(cases_json):
        if isinstance(case, str):
            replies.append(json.loads(web.calculate(case)))
        else:
            replies.append(web.respond(case))
    return json.dumps(replies, ensure_ascii=False)

def _pytest(repo, args_json):
    os.chdir(repo)
    # As with 'python -m pytest' from the repository root, 'tests.conftest' is importable;
    # calculator/ is NOT put on the path: the tests import the installed wheel.
    sys.path[:0] = [repo, repo + "/tests/pyodide"]
    import pytest
    return int(pytest.main(json.loads(args_json)))
`;

class UsageError extends Error {}

function parseCommandLine() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      wheel: { type: "string" },
      "test-wheel": { type: "string", multiple: true, default: [] },
      input: { type: "string" },
      stdlib: { type: "string" },
      repo: { type: "string", default: path.resolve(HERE, "..", "..") },
    },
  });
  const [mode, ...extraArgs] = positionals;
  if (mode !== "pytest" && mode !== "compare") {
    throw new UsageError("the mode must be 'pytest' or 'compare'");
  }
  if (!values.wheel) throw new UsageError("--wheel ML_EMISSIONS_WHEEL is required");
  if (mode === "compare" && (!values.input || extraArgs.length)) {
    throw new UsageError("compare takes --input CASES.json and no other arguments");
  }
  return { ...values, mode, extraArgs, repo: path.resolve(values.repo) };
}

const FULL_STDLIB = "/lib/python_stdlib_full.zip";

async function startPyodide(repo, stdlib) {
  const indexDir = path.join(repo, "node_modules", "pyodide");
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(pathToFileURL(path.join(indexDir, "pyodide.mjs")).href));
  } catch (error) {
    throw new UsageError(`cannot import ${indexDir}/pyodide.mjs (run 'npm ci'): ${error}`);
  }
  const options = { indexURL: indexDir + path.sep };
  if (stdlib) options.stdLibURL = path.resolve(stdlib);
  const pyodide = await loadPyodide(options);
  if (stdlib) {
    pyodide.FS.writeFile(FULL_STDLIB, readFileSync(path.join(indexDir, "python_stdlib.zip")));
  }
  // Python's output goes to this process's stdout and stderr, unbuffered and in order
  // (copied: the bytes are a view into Pyodide's memory).
  const writer = (stream) => ({
    write: (bytes) => {
      stream.write(Buffer.from(bytes));
      return bytes.length;
    },
  });
  pyodide.setStdout(writer(process.stdout));
  pyodide.setStderr(writer(process.stderr));
  return pyodide;
}

async function main() {
  const opts = parseCommandLine();
  const pyodide = await startPyodide(opts.repo, opts.stdlib);

  const purelib = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  for (const wheel of [opts.wheel, ...opts["test-wheel"]]) {
    pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", {
      extractDir: purelib,
    });
  }
  pyodide.FS.mkdirTree(REPO_MOUNT);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: opts.repo }, REPO_MOUNT);
  if (opts.stdlib) {
    const install = pyodide.runPython(
      `import sys; sys.path.insert(0, "${REPO_MOUNT}/tests/pyodide"); ` +
      "import stdlib_guard; stdlib_guard.install");
    install(FULL_STDLIB);
  }
  pyodide.runPython(PYTHON_HELPERS);
  const call = (name, ...args) => pyodide.globals.get(name)(...args);
  const outside = () => `pyodide-outside-stdlib: ${call("_outside_stdlib")}\n`;

  process.stdout.write(`pyodide-runtime: ${call("_runtime", pyodide.version, opts.mode)}\n`);
  if (opts.mode === "compare") {
    const cases = readFileSync(opts.input, "utf-8");
    process.stdout.write(`pyodide-results: ${call("_compare", cases)}\n`);
    process.stdout.write(outside());
    return 0;
  }
  const pytestArgs = [
    "-p", "in_pyodide_plugin",
    "-p", "no:cacheprovider", // it would write .pytest_cache/ into the repository
    `${REPO_MOUNT}/tests`,
    // The doctests of the installed wheel (the ini's addopts has --doctest-modules).
    "--pyargs", "ml_emissions",
    ...opts.extraArgs,
  ];
  const code = call("_pytest", REPO_MOUNT, JSON.stringify(pytestArgs));
  process.stdout.write(outside());
  return code;
}

// Node flushes stdout and stderr before it exits on its own: set the exit code only.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const text = error instanceof UsageError ? error.message : (error?.stack ?? error);
    process.stderr.write(`run_in_pyodide: ${text}\n`);
    process.exitCode = 2;
  },
);
