# AetherFlow adapter for Python secrets hooks (AETHERFLOW_SECRETS_PATH=<file>.py).
#
# Run by the engine as:  python3 -B -c <this source> <hook.py> decode|expand-env
# It imports the hook module from its path and speaks the engine's secrets-program protocol
# (see ExecutableSecretsProvider): stdin carries the value (decode) or the environment snapshot as
# a JSON object (expand-env); the answer goes to stdout. Exit 0 on success, 64 when the hook has
# no expand_env (the snapshot stays as it is), 1 on any failure. On failure the first stderr line
# is one sentence for the user; a Python traceback, if any, follows it (the engine shows it only at
# DEBUG). Anything the hook prints goes to stderr, so it can never corrupt the answer.
import sys

# python3 -c puts the working directory first on sys.path; a file there named like a standard
# module (json.py, base64.py) must not shadow it, for the adapter or the hook
if sys.path[:1] == [""]:
    del sys.path[0]

import importlib.util  # noqa: E402
import json  # noqa: E402
import traceback  # noqa: E402

EXIT_FAILED = 1
EXIT_UNSUPPORTED = 64


class HookFailure(Exception):
    pass


def where(error, hook):
    """' (hook.py line N)' for the innermost frame of the hook file, else ''."""
    if isinstance(error, SyntaxError) and error.lineno:
        return " (line %d)" % error.lineno
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == hook:
            line = frame.lineno
    return "" if line is None else " (line %d)" % line


def describe(error, hook):
    text = str(error).strip().splitlines()
    message = type(error).__name__ + (": " + text[0] if text else "")
    return message + where(error, hook)


def load(hook):
    spec = importlib.util.spec_from_file_location("aetherflow_secrets_hook", hook)
    if spec is None or spec.loader is None:
        raise HookFailure("cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as e:
        raise HookFailure("cannot be imported: " + describe(e, hook)) from e
    if not callable(getattr(module, "decode", None)):
        raise HookFailure("defines no callable decode(value); a secrets hook must define decode(value) -> str"
                          " and may define expand_env(env) -> dict")
    return module


def call(function, argument, hook):
    try:
        return function(argument)
    except BaseException as e:
        raise HookFailure(function.__name__ + "() raised " + describe(e, hook)) from e


def run(hook, command, data, answer):
    module = load(hook)
    if command == "decode":
        result = call(module.decode, data, hook)
        if not isinstance(result, str):
            raise HookFailure("decode() returned %s, not str; it must return the decoded text"
                              % type(result).__name__)
        answer.write(result.encode("utf-8"))
        return 0
    if command == "expand-env":
        expand = getattr(module, "expand_env", None)
        if expand is None:
            return EXIT_UNSUPPORTED
        if not callable(expand):
            raise HookFailure("expand_env is a %s, not a function" % type(expand).__name__)
        result = call(expand, dict(json.loads(data)), hook)
        if not isinstance(result, dict):
            raise HookFailure("expand_env() returned %s, not dict; it must return the whole new environment"
                              " as a dict of str to str" % type(result).__name__)
        for key, value in result.items():
            if not isinstance(key, str):
                raise HookFailure("expand_env() returned a %s key; keys and values must be str" % type(key).__name__)
            if not isinstance(value, str):
                raise HookFailure("expand_env() returned a %s value for %s; keys and values must be str"
                                  % (type(value).__name__, key))
        answer.write(json.dumps(result).encode("utf-8"))
        return 0
    raise HookFailure("unknown command " + command)


def main():
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # print() in the hook must not reach the answer
    hook, command = sys.argv[1], sys.argv[2]
    data = sys.stdin.buffer.read().decode("utf-8")
    try:
        code = run(hook, command, data, answer)
    except HookFailure as e:
        sys.stderr.write(str(e) + "\n")
        if e.__cause__ is not None:
            traceback.print_exception(type(e.__cause__), e.__cause__, e.__cause__.__traceback__)
        sys.stderr.flush()
        return EXIT_FAILED
    except BaseException as e:
        sys.stderr.write("the AetherFlow hook adapter failed: " + describe(e, hook) + "\n")
        traceback.print_exc()
        sys.stderr.flush()
        return EXIT_FAILED
    answer.flush()
    return code


sys.exit(main())
