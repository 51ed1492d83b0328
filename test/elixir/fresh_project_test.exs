# SPDX-License-Identifier: ISC
defmodule Nook.FreshProjectTest do
  # New projects made here, offline, that depend on this tree as the README says: a mix
  # project by path, a rebar3 project through _checkouts/. Each builds nook from scratch
  # (its C program only if this tree has none yet).
  use ExUnit.Case, async: false

  @moduletag :fresh
  @moduletag timeout: 600_000

  @nook Path.expand("../..", __DIR__)

  setup do
    dir = Path.join(System.tmp_dir!(), "nook-fresh-#{System.unique_integer([:positive])}")
    File.mkdir_p!(dir)
    on_exit(fn -> File.rm_rf!(dir) end)
    %{dir: dir}
  end

  test "mix new, {:nook, path: ...}, Nook.cmd in a rootless container", %{dir: dir} do
    {_, 0} = run(dir, "mix", ["new", "fresh_app"])
    app = Path.join(dir, "fresh_app")
    mix_exs = Path.join(app, "mix.exs")

    File.write!(
      mix_exs,
      String.replace(File.read!(mix_exs), "defp deps do\n    [\n",
        "defp deps do\n    [\n      {:nook, path: #{inspect(@nook)}},\n")
    )

    script = """
    IO.inspect(Nook.cmd("echo hi", sandbox: :rootless))
    IO.inspect(Nook.cmd("echo hello from $(hostname), uid $(id -u)", sandbox: :rootless))
    {:docs_v1, _, :erlang, _, _, _, _} = Code.fetch_docs(:nook_stream)
    """

    {out, status} = run(app, "mix", ["run", "-e", script])
    assert status == 0, out
    assert out =~ ~s({"hi\\n", 0})
    # the README's example, as it says
    assert out =~ ~s({"hello from nook, uid 65534\\n", 0})
  end

  test "rebar3 new app, nook in _checkouts/, nook_stream:run in a rootless container", %{dir: dir} do
    {_, 0} = run(dir, "rebar3", ["new", "app", "name=fresh_erl"])
    app = Path.join(dir, "fresh_erl")
    File.mkdir_p!(Path.join(app, "_checkouts"))
    File.ln_s!(@nook, Path.join(app, "_checkouts/nook"))
    config = Path.join(app, "rebar.config")
    File.write!(config, String.replace(File.read!(config), "{deps, []}", "{deps, [nook]}"))

    {out, status} = run(app, "rebar3", ["compile"])
    assert status == 0, out

    eval = """
    io:format("~p~n", [nook_stream:run("echo hi", nook_rootless, [])]),
    io:format("~p~n", [nook_stream:run("echo hello from $(hostname), uid $(id -u)",
                                       nook_rootless, [])]),
    {ok, {docs_v1, _, erlang, _, _, _, _}} = code:get_doc(nook_stream),
    halt().
    """

    {out, status} = run(app, "sh", ["-c", "erl -noshell -pa $(rebar3 path) -eval \"$0\"", eval])
    assert status == 0, out
    assert out =~ ~s({ok,[{stdout,<<"hi\\n">>},{exit_status,0}]})
    assert out =~ ~s({ok,[{stdout,<<"hello from nook, uid 65534\\n">>},{exit_status,0}]})
  end

  # A command in dir, as a user would type it: no MIX_ENV of this test run, no network.
  defp run(dir, cmd, args) do
    System.cmd(cmd, args,
      cd: dir,
      stderr_to_stdout: true,
      env: [{"MIX_ENV", nil}, {"REBAR_COLOR", "none"}, {"HEX_OFFLINE", "1"}]
    )
  end
end
