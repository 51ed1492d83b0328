%% SPDX-License-Identifier: ISC
%% @doc Start to finish of `true': in a rootless container (nook_rootless, against bwrap
%% making the same sandbox and against bench/floor.c making the same system calls directly)
%% and as a plain supervised process (nook_process, against open_port of /bin/true). Every
%% one is timed from the BEAM, from asking to the exit status; nook's includes closing the
%% stream (its tree killed and reaped).
-module(bench_start).

-export([run/1, bwrap/0, bwrap_args/1, port_run/2]).

-define(TRUE, ["/bin/sh", "-c", "true"]).

-spec run(map()) -> [bench:row()].
run(#{dir := Dir, repeats := Repeats}) ->
    Starts = bench:env("STARTS", 20),
    Root = nook_rootless:default_root(),
    ok = nook_rootless:make_root(Root),
    Floor = filename:join(Dir, "floor"),
    Bwrap = bwrap(),
    check_sandboxes(Floor, Bwrap, Root),
    Variants =
        [{"process_true_open_port", fun() -> port_run("/bin/true", []) end},
         {"process_true_nook", fun() -> stream_run("true", nook_process) end},
         {"rootless_true_floor", fun() -> port_run(Floor, [Root | ?TRUE]) end},
         {"rootless_true_bwrap", fun() -> port_run(Bwrap, bwrap_args(Root) ++ ?TRUE) end},
         {"rootless_true_nook", fun() -> stream_run("true", nook_rootless) end}],
    %% One of each first: code loaded, caches warm.
    _ = [F() || {_, F} <- Variants],
    Timed = [{Name, fun() -> bench:median(bench:repeat(Starts, fun() -> bench:elapsed_us(F) end)) end}
             || {Name, F} <- Variants],
    Runs = bench:fold_interleaved(Repeats, Timed, #{}),
    bench:note("start: median of ~b runs of ~b starts, interleaved; nook_process against open_port "
               "of /bin/true (nook runs /bin/sh -c true); rootless: bwrap against the floor, nook "
               "against bwrap (then the floor)", [Repeats, Starts]),
    Ms = fun(Name) -> bench:median(maps:get(Name, Runs)) / 1000 end,
    [#{name => "process_true_open_port", value => Ms("process_true_open_port"), unit => "ms"},
     #{name => "process_true_nook", value => Ms("process_true_nook"), unit => "ms",
       baseline => "process_true_open_port"},
     #{name => "rootless_true_floor", value => Ms("rootless_true_floor"), unit => "ms"},
     #{name => "rootless_true_bwrap", value => Ms("rootless_true_bwrap"), unit => "ms",
       baseline => "rootless_true_floor"},
     #{name => "rootless_true_nook", value => Ms("rootless_true_nook"), unit => "ms",
       baseline => "rootless_true_bwrap"},
     #{name => "rootless_true_nook_vs_floor", value => Ms("rootless_true_nook"), unit => "ms",
       baseline => "rootless_true_floor"}].

stream_run(Cmd, Behaviour) ->
    {ok, Events} = nook_stream:run(Cmd, Behaviour, []),
    {exit_status, 0} = lists:last(Events),
    ok.

%% @doc bwrap's path; the bench's script installs it when it can.
-spec bwrap() -> string().
bwrap() ->
    case os:find_executable("bwrap") of
        false -> erlang:error({missing, "bwrap: apt-get install bubblewrap"});
        Path -> Path
    end.

%% @doc nook_rootless's sandbox (mount_ops/1, dev_ops/1, ops/1 with the default config) as
%% bwrap options, step for step. bwrap cannot add noexec or noatime to its tmpfs mounts and
%% adds nodev to its binds; it always sets no_new_privs, and has no rlimit option (nook sets
%% RLIMIT_CORE to 0).
-spec bwrap_args(file:filename()) -> [string()].
bwrap_args(Root) ->
    Env = nook_rootless:environ([]),
    ["--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-net",
     "--uid", "65534", "--gid", "65534", "--hostname", "nook", "--new-session",
     "--die-with-parent", "--clearenv"]
        ++ lists:append([["--setenv", K, V] || E <- Env, [K, V] <- [string:split(E, "=")]])
        ++ ["--ro-bind", Root, "/"]
        ++ lists:append([["--ro-bind", D, D] || D <- ["/bin", "/sbin", "/usr", "/lib"]])
        ++ ["--ro-bind-try", "/lib64", "/lib64",
            "--perms", "1777", "--size", integer_to_list(4 bsl 20), "--tmpfs", "/tmp",
            "--perms", "0700", "--size", integer_to_list(8 bsl 20), "--tmpfs", "/home",
            "--proc", "/proc",
            "--perms", "0755", "--size", integer_to_list(64 bsl 10), "--tmpfs", "/dev"]
        ++ lists:append([["--dev-bind", "/dev/" ++ D, "/dev/" ++ D]
                         || D <- ["null", "zero", "full", "random", "urandom", "tty"]])
        ++ lists:append([["--symlink", T, "/dev/" ++ L]
                         || {T, L} <- [{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                       {"/proc/self/fd/1", "stdout"},
                                       {"/proc/self/fd/2", "stderr"}]])
        ++ ["--chdir", "/"].

%% @doc Run a program as a plain port to its exit: its output, or an error if it failed.
-spec port_run(string(), [string()]) -> binary().
port_run(Exe, Args) ->
    Port = open_port({spawn_executable, Exe},
                     [{args, Args}, binary, exit_status, stderr_to_stdout, in]),
    port_wait(Port, Exe, []).

port_wait(Port, Exe, Acc) ->
    receive
        {Port, {data, B}} -> port_wait(Port, Exe, [Acc | B]);
        {Port, {exit_status, 0}} -> iolist_to_binary(Acc);
        {Port, {exit_status, N}} -> erlang:error({Exe, {exit_status, N}, iolist_to_binary(Acc)})
    end.

%% The three sandboxes must show the same mounts: compare /proc/self/mountinfo inside each.
check_sandboxes(Floor, Bwrap, Root) ->
    Cmd = ["/bin/sh", "-c", "cat /proc/self/mountinfo"],
    {ok, Events} = nook_stream:run(Cmd, nook_rootless, []),
    Nook = mounts(iolist_to_binary([B || {stdout, B} <- Events])),
    Others = [{"floor", mounts(port_run(Floor, [Root | Cmd]))},
              {"bwrap", mounts(port_run(Bwrap, bwrap_args(Root) ++ Cmd))}],
    [case {[M || M <- maps:keys(Nook), not maps:is_key(M, Theirs)],
           [M || M <- maps:keys(Theirs), not maps:is_key(M, Nook)]} of
         {[], []} ->
             Opts = [io_lib:format("~s ~s", [Point, Diff])
                     || {{Point, _, _} = Mount, Ours} <- lists:sort(maps:to_list(Nook)),
                        Diff <- [opts_diff(Ours, maps:get(Mount, Theirs))], Diff =/= ""],
             bench:note("sandbox: ~s makes the same ~b mounts as nook_rootless~s",
                        [Name, map_size(Nook),
                         case Opts of
                             [] -> ", with the same options";
                             _ -> "; options differ: " ++ lists:join(", ", Opts)
                         end]);
         {Missing, Extra} ->
             bench:note("sandbox: ~s DIFFERS from nook_rootless: lacks ~p, adds ~p",
                        [Name, Missing, Extra])
     end || {Name, Theirs} <- Others],
    ok.

%% mountinfo: {mount point, what is mounted, type} => the mount's own options.
mounts(Info) ->
    maps:from_list(
      [{{binary_to_list(Point), binary_to_list(Src), binary_to_list(Type)},
        string:lexemes(Opts, ",")}
       || Line <- string:lexemes(Info, "\n"),
          [Left, Right] <- [string:split(Line, " - ")],
          [_, _, _, Src, Point, Opts | _] <- [string:lexemes(Left, " ")],
          [Type | _] <- [string:lexemes(Right, " ")]]).

opts_diff(Ours, Theirs) ->
    lists:flatten(lists:join(" ", ["+" ++ binary_to_list(O) || O <- Theirs -- Ours]
                              ++ ["-" ++ binary_to_list(O) || O <- Ours -- Theirs])).
