# SPDX-License-Identifier: ISC
# nook under mix, with no rebar3 and no hex: `make` builds priv/nook and src/nook_calls.erl
# and src/nook_protocol.erl (from c_src/calls.def and c_src/protocol.def), mix's compilers
# src/ (Erlang) and lib/ (the Nook modules), and bin/doc-chunks the Erlang
# modules' doc chunks. The application's facts come from src/nook.app.src, as under rebar3.
defmodule Mix.Tasks.Compile.Nook do
  @moduledoc false
  use Mix.Task.Compiler

  @impl true
  def run(_args) do
    root = Path.dirname(Mix.Project.project_file())
    config = Mix.Project.config()

    run!(root, "make", ["-s", "-j#{System.schedulers_online()}", "all"])
    # A fresh clone has no priv/ until make has run: mix links it into the build now.
    Mix.Project.build_structure(config)
    run!(root, Path.join(root, "bin/doc-chunks"), [Mix.Project.app_path(config)])
    {:ok, []}
  end

  defp run!(root, cmd, args) do
    case System.cmd(cmd, args, cd: root, stderr_to_stdout: true) do
      {out, 0} ->
        IO.write(out)

      {out, status} ->
        IO.write(out)
        Mix.raise("nook: #{Path.basename(cmd)} #{Enum.join(args, " ")} failed (#{status})")
    end
  end
end

defmodule Nook.MixProject do
  use Mix.Project

  @app_src Path.join(__DIR__, "src/nook.app.src")
  @external_resource @app_src
  {:ok, [{:application, :nook, props}]} = :file.consult(@app_src)
  @props props

  def project do
    [
      app: :nook,
      version: to_string(@props[:vsn]),
      elixir: "~> 1.14",
      description: to_string(@props[:description]),
      compilers: [:nook | Mix.compilers()],
      erlc_paths: ["src"],
      erlc_include_path: "include",
      erlc_options: [:debug_info],
      elixirc_paths: ["lib"],
      test_paths: ["test/elixir"],
      deps: []
    ]
  end

  def application do
    [
      mod: @props[:mod],
      registered: @props[:registered],
      env: @props[:env],
      extra_applications: [:logger]
    ]
  end
end
