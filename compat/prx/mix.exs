# SPDX-License-Identifier: ISC
# The same application for mix (rebar3 reads rebar.config): nook is the checkout this
# directory sits in, so that prx is written from the very nook it runs on.
defmodule Prx.MixProject do
  use Mix.Project

  def project do
    [app: :prx, version: "1.0.1+nook", language: :erlang, deps: [{:nook, path: "../.."}]]
  end

  def application, do: [applications: [:kernel, :stdlib, :nook]]
end
