# SPDX-License-Identifier: ISC
defmodule Nook do
  @moduledoc """
  Run programs from Elixir as `System.cmd/3` does, each in a sandbox of its own: a
  supervised process, or a rootless container that any user can make.

  Everything the program starts is killed and reaped when it is done, when its caller exits,
  or when the BEAM goes away. Output is read only as fast as it is consumed.

      iex> Nook.cmd("echo hi", sandbox: :rootless)
      {"hi\\n", 0}

  A command is a shell command line (a string, run by `/bin/sh -c`) or an argv list, which
  no shell splits (its first element is looked up in `PATH`).

  ## Options

  Shared by `cmd/2`, `stream!/2` and `Nook.Daemon`:

    * `:sandbox` - `:process` (default): a process of its own session, with no new
      privileges, killed with its supervisor; `:rootless`: a rootless container (new user,
      mount, PID, UTS, IPC and network namespaces, a read-only view of the host's programs,
      uid 65534 inside, a seccomp profile); `:container`: the same made by root, without a
      user namespace; or a module of your own implementing `:nook_behaviour`.
    * `:cd` - the program's working directory; in a container, a path inside it.
    * `:env` - a map or a list of `{name, value}` set on top of the sandbox's environment
      (a `nil` value removes the variable).
    * `:clearenv` - `true` to start from an empty environment (then `:env`).
    * `:stderr_to_stdout` - `true` to send the program's stderr where its stdout goes, in
      the order written. Otherwise stderr is written to the BEAM's standard error.
    * `:pty` - `true` or `%{rows: r, cols: c}` (24 by 80 by default): the program runs on a
      new pseudo-terminal, its controlling terminal and its stdin, stdout and stderr (in a
      container, one of the container's own). Output comes as a terminal shows it (`"\\r\\n"`
      line ends, input echoed); `:input` is typed, then ^D. To type as you go and resize it
      (the program gets SIGWINCH), open it with `:nook_stream.open/3` and use
      `:nook_stream.send/2`, `:nook_stream.eof/1` and `:nook_stream.winsize/3`.
    * `:input` - what the program reads on its stdin: a binary, or an `Enumerable` of
      iodata, read only as the program takes it, then end of file. Without it (`cmd/2`,
      `stream!/2`), the program reads end of file at once.
    * `:timeout` - milliseconds after which the program and all it started are stopped
      (SIGTERM, then SIGKILL after `:kill_after`, 500 ms by default).
    * `:max_output` - bytes of output kept at most; past them, output is dropped
      (`on_max_output: :truncate`, the default) or the program is killed
      (`on_max_output: :kill`).
    * `:node` - the node of an Erlang cluster to run the program on; `:nodes` - a `pg`
      group of nodes running nook, the program going to the one with the most room (see
      `:nook_cluster`). Its output and exit come back as if it ran here; a link lost to
      that node ends it there, and here as `{:exit, {:nodedown, node}}`.

  Any other option goes to the sandbox as it is (see `:nook_process`, `:nook_rootless`,
  `:nook_container`): for example `uid:`, `net: :host`, `hostname:`, `path:` (the
  directory a container's root is mounted on), `fstab:`, `limits:`, `seccomp:`. An option
  no one takes, or a value of the wrong shape, raises `ArgumentError` before anything
  starts; a program that cannot be started raises `Nook.Error`, whose `reason` is nook's.
  """

  alias Nook.Options

  @typedoc "A shell command line, or an argv list."
  @type command :: String.t() | [String.t(), ...]

  @typedoc """
  How a program ended: its exit status, the signal that killed it, `:timeout` when the
  `:timeout` option ended it, `{:exit, :oom}` when the kernel killed it at its memory
  limit, `{:exit, :max_output}` when it said more than `max_output: bytes` with
  `on_max_output: :kill`, or `:closed` when its sandbox was stopped from outside before it
  could say, or `{:exit, {:nodedown, node}}` when the link to the node it ran on was lost.
  """
  @type status ::
          non_neg_integer()
          | {:termsig, atom()}
          | :timeout
          | {:exit, :oom | :max_output | {:nodedown, node()}}
          | :closed

  @doc """
  Runs `command` and returns its output and how it ended, as `System.cmd/3` does.

  Output is collected into `:into` (any `Collectable`, `""` by default); see the module
  documentation for the other options. Raises `Nook.Error` if the program cannot be
  started.

  ## Examples

      iex> Nook.cmd("echo hi", sandbox: :rootless)
      {"hi\\n", 0}

      iex> Nook.cmd(["printf", "%s|", "no shell", "splits this"])
      {"no shell|splits this|", 0}

      iex> Nook.cmd("pwd; echo $GREETING", cd: "/tmp", env: %{"GREETING" => "hello"})
      {"/tmp\\nhello\\n", 0}

      iex> Nook.cmd("echo out; echo err >&2; exit 3", stderr_to_stdout: true)
      {"out\\nerr\\n", 3}

      iex> Nook.cmd("id -u; hostname; ls /", sandbox: :rootless)
      {"65534\\nnook\\nbin\\ndev\\netc\\nhome\\nlib\\nlib64\\nproc\\nsbin\\ntmp\\nusr\\n", 0}

      iex> Nook.cmd("tr a-z A-Z", input: ["hello ", "world"])
      {"HELLO WORLD", 0}

      iex> Nook.cmd("stty size; test -t 0 && echo terminal",
      ...>   pty: %{rows: 40, cols: 100}, sandbox: :rootless)
      {"40 100\\r\\nterminal\\r\\n", 0}

      iex> {chunks, 0} = Nook.cmd("seq 3", into: [])
      iex> Enum.join(chunks)
      "1\\n2\\n3\\n"

      iex> Nook.cmd("sleep 10", timeout: 100)
      {"", :timeout}

      iex> Nook.cmd("kill -9 $$")
      {"", {:termsig, :sigkill}}

  """
  @spec cmd(command(), keyword()) :: {Collectable.t(), status()}
  def cmd(command, opts \\ []) do
    {into, opts} = opts |> Options.keyword!() |> Keyword.pop(:into, "")
    {collected, collector} = Collectable.into(into)
    run = start!(command, opts)

    try do
      collect(run, collected, collector)
    catch
      kind, reason ->
        collector.(collected, :halt)
        :erlang.raise(kind, reason, __STACKTRACE__)
    else
      {collected, status, _run} -> {collector.(collected, :done), status}
    after
      stop(run)
    end
  end

  defp collect(run, collected, collector) do
    case next(run) do
      {:output, data, run} ->
        collect(run, Enum.reduce(data, collected, &collector.(&2, {:cont, &1})), collector)

      {:ended, status, run} ->
        {collected, status, run}
    end
  end

  @doc """
  Runs `command` and returns its output as a lazy `Stream` of binaries.

  The program starts when the stream is first asked for an element, and its output is
  read only as the stream is consumed: a consumer that stops taking elements stops the
  reads, and the program blocks once its pipe is full. Halting the stream early (`Enum.take/2`
  and the like) kills the program and all it started. `:input` may be any `Enumerable`:
  it is fed to the program's stdin as the program reads it, while the output streams.

  Raises `Nook.Error` if the program cannot be started, and, once its output is done, if it
  ended with a status other than 0 (the error's `reason` is `{:exit_status, n}`,
  `{:termsig, signal}` or `:timeout`).

  ## Examples

      iex> Nook.stream!("yes nook") |> Stream.flat_map(&String.split(&1, "\\n", trim: true)) |> Enum.take(3)
      ["nook", "nook", "nook"]

      iex> Nook.stream!("tr a-z A-Z", input: Stream.map(1..3, &"line #\{&1}\\n"), sandbox: :rootless)
      ...> |> Enum.join()
      "LINE 1\\nLINE 2\\nLINE 3\\n"

      iex> Nook.stream!("echo partial; exit 2") |> Enum.to_list()
      ** (Nook.Error) "echo partial; exit 2" exited with status 2

  """
  @spec stream!(command(), keyword()) :: Enumerable.t()
  def stream!(command, opts \\ []) do
    opts = Options.keyword!(opts)
    Stream.resource(fn -> start!(command, opts) end, &stream_next/1, &stop/1)
  end

  defp stream_next(run) do
    case next(run) do
      {:output, data, run} ->
        {data, run}

      {:ended, 0, run} ->
        {:halt, run}

      {:ended, status, run} ->
        raise Nook.Error, command: run.command, reason: Nook.Error.ending(status)
    end
  end

  # ---- one run: the stream, the process feeding its stdin, how the program ended ----

  defp start!(command, opts) do
    {behaviour, config, own} = Options.split!(opts, [:input])

    case :nook_stream.open(command, behaviour, config) do
      {:ok, stream} ->
        %{stream: stream, command: command, feeder: feed(stream, Keyword.get(own, :input)),
          ended: nil}

      {:error, reason} ->
        Options.raise_start_error!(command, reason)
    end
  end

  defp feed(stream, nil) do
    # {:error, :closed}: the program was quicker and has ended already.
    _ = :nook_stream.eof(stream)
    nil
  end

  defp feed(stream, input) do
    spawn_link(fn ->
      chunks = if is_binary(input), do: [input], else: input

      Enum.reduce_while(chunks, :ok, fn chunk, :ok ->
        case :nook_stream.send(stream, [chunk]) do
          :ok -> {:cont, :ok}
          {:error, _} -> {:halt, :closed}
        end
      end)

      :nook_stream.eof(stream)
    end)
  end

  # The program's next output, or how it ended. The last events of a program come in one
  # batch, its output and then how it ended: the ending is kept for the call after.
  defp next(%{ended: nil, stream: stream} = run) do
    case :nook_stream.recv(stream, :infinity) do
      {:ok, events} ->
        case split(events, [], run) do
          {[], run} -> next(run)
          {data, run} -> {:output, data, run}
        end

      :eof ->
        {:ended, :closed, run}
    end
  end

  defp next(%{ended: status} = run), do: {:ended, status, run}

  defp split([], data, run), do: {Enum.reverse(data), run}
  defp split([{:stdout, bin} | rest], data, run), do: split(rest, [bin | data], run)

  defp split([{:stderr, bin} | rest], data, run) do
    IO.write(:standard_error, bin)
    split(rest, data, run)
  end

  # Output past max_output is dropped from here on (on_max_output: :truncate).
  defp split([{:truncated, _stream} | rest], data, run), do: split(rest, data, run)
  # Calls reported by the `audit:` option (:nook_notify) are no output.
  defp split([{:audit, _info} | rest], data, run), do: split(rest, data, run)

  defp split([ending], data, run), do: split([], data, %{run | ended: status(ending)})

  defp status({:exit_status, n}), do: n
  defp status({:termsig, signal}), do: {:termsig, signal}
  defp status({:timeout, _ms}), do: :timeout
  defp status({:exit, why}), do: {:exit, why}

  defp stop(%{stream: stream, feeder: feeder}) do
    :ok = :nook_stream.close(stream)

    if feeder do
      Process.unlink(feeder)
      Process.exit(feeder, :kill)

      # A caller trapping exits finds no trace of the feeder in its mailbox.
      receive do
        {:EXIT, ^feeder, _} -> :ok
      after
        0 -> :ok
      end
    end

    :ok
  end
end
