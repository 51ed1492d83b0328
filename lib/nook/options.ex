# SPDX-License-Identifier: ISC
defmodule Nook.Options do
  @moduledoc false
  # Keyword options to nook_stream's: the sandbox's module, its config (a proplist), and
  # the options the Elixir side handles itself.

  @sandboxes %{process: :nook_process, rootless: :nook_rootless, container: :nook_container}

  @spec keyword!(term()) :: keyword()
  def keyword!(opts) do
    if Keyword.keyword?(opts) do
      opts
    else
      raise ArgumentError, "expected a keyword list of options, got: #{inspect(opts)}"
    end
  end

  @spec split!(keyword(), [atom()]) :: {module(), [{atom(), term()}], keyword()}
  def split!(opts, own_keys) do
    {own, opts} = Keyword.split(opts, own_keys)
    {sandbox, opts} = Keyword.pop(opts, :sandbox, :process)
    {behaviour(sandbox), Enum.map(opts, &option/1), own}
  end

  defp behaviour(sandbox) when is_map_key(@sandboxes, sandbox), do: Map.fetch!(@sandboxes, sandbox)

  defp behaviour(module) when is_atom(module) do
    if Code.ensure_loaded?(module) and function_exported?(module, :task, 1) do
      module
    else
      raise ArgumentError,
            "invalid :sandbox option: #{inspect(module)} (expected :process, :rootless, " <>
              ":container or a module implementing :nook_behaviour)"
    end
  end

  defp behaviour(other) do
    raise ArgumentError, "invalid :sandbox option: #{inspect(other)}"
  end

  defp option({:env, env}) when is_map(env) or is_list(env) do
    if Enum.all?(env, &match?({_, _}, &1)) do
      {:env, Enum.map(env, fn {name, value} -> {to_string(name), env_value(value)} end)}
    else
      raise ArgumentError, "invalid :env option: #{inspect(env)} (expected name-value pairs)"
    end
  end

  defp option({:env, env}), do: raise(ArgumentError, "invalid :env option: #{inspect(env)}")
  defp option({key, value}), do: {key, value}

  defp env_value(nil), do: false
  defp env_value(value), do: to_string(value)

  # What nook says of a failed start, as an exception.
  @spec raise_start_error!(term(), term()) :: no_return()
  def raise_start_error!(_command, {:badopt, opt}) do
    raise ArgumentError, "invalid option: #{inspect(opt)}"
  end

  def raise_start_error!(command, reason) do
    raise Nook.Error, command: command, reason: reason
  end
end
