# SPDX-License-Identifier: ISC
defmodule Nook.Error do
  @moduledoc """
  Raised when a program cannot be started, or (`Nook.stream!/2`) when it ended with a
  status other than 0.

  `reason` is what nook said: for a failed start the `{:error, reason}` of
  `:nook_stream.open/3` (such as `{:cd, dir, :enoent}` or `{:userns_unavailable, why}`);
  for an ending, `{:exit_status, n}`, `{:termsig, signal}`, `:timeout`, `{:exit, :oom}`,
  `{:exit, :max_output}` or `:closed`.
  """
  defexception [:command, :reason]

  @impl true
  def message(%{command: command, reason: reason}) do
    "#{inspect(command)} " <> describe(reason)
  end

  @doc false
  def ending(status) when is_integer(status), do: {:exit_status, status}
  def ending(status), do: status

  defp describe({:exit_status, n}), do: "exited with status #{n}"
  defp describe({:termsig, signal}), do: "was killed by #{signal}"
  defp describe(:timeout), do: "was stopped: its :timeout was reached"
  defp describe({:exit, :oom}), do: "was killed by the kernel at its memory limit"
  defp describe({:exit, :max_output}), do: "was killed: it said more than its :max_output"
  defp describe(:closed), do: "ended without an exit status: its sandbox was stopped"

  defp describe({:cd, dir, posix}) when is_atom(posix),
    do: "could not start: cannot change directory to #{dir}: #{:file.format_error(posix)}"

  defp describe({:exec, posix}) when is_atom(posix),
    do: "could not start: exec failed: #{:file.format_error(posix)}"

  defp describe({:userns_unavailable, why}),
    do: "could not start: the kernel refuses an unprivileged user namespace (#{inspect(why)})"

  defp describe(reason), do: "could not start: #{inspect(reason)}"
end
