# SPDX-License-Identifier: ISC
defmodule Nook.Daemon do
  @moduledoc """
  A long-running program under a supervisor: its output goes to `Logger`, line by line,
  and when it ends, so does this process, which its supervisor then restarts (or not, as
  its `:restart` says). When this process stops, the program and everything it started
  are killed and reaped.

      children = [
        {Nook.Daemon, ["redis-server --port 7777", sandbox: :rootless, net: :host]}
      ]

      Supervisor.start_link(children, strategy: :one_for_one)

  The program's options are those of `Nook.cmd/2` (`:sandbox`, `:cd`, `:env`,
  `:stderr_to_stdout`, ...) and:

    * `:log_output` - the level its output is logged at (`:info` by default), or `false`
      to drop it. Both stdout and stderr are logged.
    * `:log_prefix` - put before each line logged (the command and `": "` by default).
    * `:name` - a name to register this process under, as for `GenServer`.
    * `:id`, `:restart`, `:shutdown` - of the child spec; the id is
      `{Nook.Daemon, command}` by default, so that two daemons of one supervisor differ.

  This process ends with reason `:normal` when the program exits with status 0, and with
  `{:exit_status, n}`, `{:termsig, signal}` or `{:exit, :oom}` otherwise.
  """
  use GenServer
  require Logger

  alias Nook.Options

  @own [:log_output, :log_prefix, :name, :id, :restart, :shutdown]

  @doc """
  The child spec of a daemon: `{Nook.Daemon, command}` or
  `{Nook.Daemon, [command | options]}` in a supervisor's children.

  ## Examples

      iex> children = [{Nook.Daemon, ["sleep 1000", sandbox: :rootless, name: :sleeper]}]
      iex> {:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one)
      iex> [{{Nook.Daemon, "sleep 1000"}, pid, :worker, [Nook.Daemon]}] = Supervisor.which_children(sup)
      iex> pid == Process.whereis(:sleeper)
      true
      iex> Supervisor.stop(sup)
      :ok

  """
  @spec child_spec(Nook.command() | [Nook.command() | {atom(), term()}]) :: Supervisor.child_spec()
  def child_spec(command) when is_binary(command), do: child_spec([command])

  def child_spec([command | opts]) do
    %{
      id: Keyword.get(opts, :id, {__MODULE__, command}),
      start: {__MODULE__, :start_link, [command, opts]},
      restart: Keyword.get(opts, :restart, :permanent),
      shutdown: Keyword.get(opts, :shutdown, 5000),
      type: :worker
    }
  end

  @doc """
  Starts `command` linked to the caller, returning once the program has started; see the
  module documentation for the options. A program that cannot be started returns
  `{:error, reason}` with nook's reason.

  ## Examples

      iex> {:ok, pid} = Nook.Daemon.start_link("echo started; sleep 1000", log_output: false)
      iex> Process.alive?(pid)
      true
      iex> GenServer.stop(pid)
      :ok

      iex> Process.flag(:trap_exit, true)
      iex> Nook.Daemon.start_link("true", cd: "/nonexistent")
      {:error, {:cd, "/nonexistent", :enoent}}

  """
  @spec start_link(Nook.command(), keyword()) :: GenServer.on_start()
  def start_link(command, opts \\ []) do
    opts = Options.keyword!(opts)
    GenServer.start_link(__MODULE__, {command, opts}, Keyword.take(opts, [:name]))
  end

  @impl true
  def init({command, opts}) do
    {behaviour, config, own} = Options.split!(opts, @own)
    Process.flag(:trap_exit, true)

    case :nook_stream.start_link(command, behaviour, config) do
      {:ok, stream} ->
        log = %{
          level: Keyword.get(own, :log_output, :info),
          prefix: Keyword.get_lazy(own, :log_prefix, fn -> "#{label(command)}: " end)
        }

        daemon = self()
        reader = spawn_link(fn -> read(stream, daemon, log, %{stdout: "", stderr: ""}) end)
        {:ok, %{stream: stream, reader: reader}}

      {:error, reason} ->
        {:stop, reason}
    end
  end

  @impl true
  def handle_info({__MODULE__, :ended, ending}, state) do
    {:stop, reason(ending), state}
  end

  def handle_info({:EXIT, _pid, :normal}, state), do: {:noreply, state}
  def handle_info({:EXIT, _pid, reason}, state), do: {:stop, reason, state}

  @impl true
  def terminate(_reason, %{stream: stream}) do
    :nook_stream.close(stream)
  end

  defp reason({:exit_status, 0}), do: :normal
  defp reason(other), do: other

  defp label(command) when is_binary(command), do: command
  defp label(argv), do: Enum.join(argv, " ")

  # The reader takes the program's output as Logger takes it, so a chatty program is slowed
  # to what can be logged, and tells the daemon how the program ended.
  defp read(stream, daemon, log, partial) do
    case :nook_stream.recv(stream, :infinity) do
      {:ok, events} ->
        read(stream, daemon, log, Enum.reduce(events, partial, &event(&1, &2, daemon, log)))

      :eof ->
        send(daemon, {__MODULE__, :ended, :closed})
    end
  end

  defp event({kind, data}, partial, _daemon, log) when kind in [:stdout, :stderr] do
    {lines, rest} = lines(partial[kind] <> data)
    Enum.each(lines, &log(log, &1))
    %{partial | kind => rest}
  end

  # Calls reported by the `audit:` option (:nook_notify) are no output; past `max_output:`
  # (`on_max_output: :truncate`) the program runs on, unheard.
  defp event({:audit, _info}, partial, _daemon, _log), do: partial
  defp event({:truncated, _stream}, partial, _daemon, _log), do: partial

  defp event(ending, partial, daemon, log) do
    partial |> Map.values() |> Enum.reject(&(&1 == "")) |> Enum.each(&log(log, &1))
    send(daemon, {__MODULE__, :ended, ending})
    %{stdout: "", stderr: ""}
  end

  defp lines(data) do
    {rest, lines} = data |> String.split("\n") |> List.pop_at(-1)
    {lines, rest}
  end

  defp log(%{level: false}, _line), do: :ok
  defp log(%{level: level, prefix: prefix}, line), do: Logger.log(level, [prefix, line])
end
