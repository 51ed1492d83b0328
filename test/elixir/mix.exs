# SPDX-License-Identifier: ISC
# An Elixir client of nook, depending on it by path: proves a clean checkout builds under
# mix with no network and no hex (rebar3 comes from the system, see MIX_REBAR3 in bin/test).
defmodule NookClient.MixProject do
  use Mix.Project

  def project do
    [
      app: :nook_client,
      version: "0.1.0",
      elixir: "~> 1.14",
      deps: [{:nook, path: "../..", manager: :rebar3}]
    ]
  end

  def application, do: [extra_applications: [:logger]]
end
