# SPDX-License-Identifier: ISC
defmodule Nook.DocsTest do
  use ExUnit.Case, async: true
  import ExUnit.CaptureIO

  @elixir_modules [Nook, Nook.Daemon, Nook.Error]

  test "the Erlang modules' docs are found under mix's build, as iex's h finds them" do
    for module <- [:nook, :nook_stream, :nook_rootless, :nook_seccomp] do
      assert {:docs_v1, _, :erlang, "application/erlang+html", %{"en" => _}, _, _} =
               Code.fetch_docs(module)
    end

    assert capture_io(fn -> IEx.Introspection.h({:nook_stream, :run}) end) =~ "collect its events"
    assert capture_io(fn -> IEx.Introspection.h({:nook, :fork}) end) =~ "Start a new port"
  end

  test "every public function of the Elixir modules has a doc" do
    for module <- @elixir_modules do
      {:docs_v1, _, :elixir, _, moduledoc, _, docs} = Code.fetch_docs(module)
      assert %{"en" => _} = moduledoc, "#{inspect(module)} has no @moduledoc"

      for {name, arity} <- module.__info__(:functions),
          not exception_callback?(module, name, arity),
          not callback?(module, name, arity) do
        doc = Enum.find_value(docs, &doc_of(&1, name, arity))

        # @doc false (hidden) is a choice: such a function is not part of the API.
        assert match?(%{"en" => text} when text != "", doc) or doc == :hidden,
               "#{inspect(module)}.#{name}/#{arity} has no @doc"
      end
    end
  end

  # A function with default arguments has one doc, under its highest arity.
  defp doc_of({{kind, name, max}, _, _, doc, meta}, name, arity) when kind in [:function, :macro] do
    if arity in (max - Map.get(meta, :defaults, 0))..max, do: doc
  end

  defp doc_of(_entry, _name, _arity), do: nil

  # What defexception defines.
  defp exception_callback?(module, name, arity),
    do: function_exported?(module, :__exception__, 0) and
          {name, arity} in [exception: 1, message: 1, __struct__: 0, __struct__: 1]

  defp callback?(module, name, arity) do
    behaviours = module.module_info(:attributes) |> Keyword.get_values(:behaviour) |> List.flatten()
    Enum.any?(behaviours, &({name, arity} in &1.behaviour_info(:callbacks)))
  end
end
