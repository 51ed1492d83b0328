%% SPDX-License-Identifier: ISC
%% @doc A cold start, start to finish of `true', pools off (`pool_size' 0: every tree built
%% on the caller's path): in a rootless container (nook_rootless, against bwrap making the
%% same sandbox and against bench/floor.c making the same system calls directly) and as a
%% plain supervised process (nook_process, against open_port of /bin/true). Every one is
%% timed from the BEAM, from asking to the exit status. The sandboxes are compared first.
%% baseline/1, bwrap_args/1 and port_run/2 serve the other groups that start containers.
-module(bench_start).

-export([run/1, baseline/1, bwrap/0, bwrap_args/1, floor_args/1, port_run/2]).

-define(TRUE, ["/bin/sh", "-c", "true"]).
%% How long a baseline program may take before the bench gives up on it.
-define(PORT_MS, 60000).
%% What nook_etc generates, copied out of a container for bwrap (which writes files only
%% from fds, which a port cannot hand it).
-define(ETC_FILES, ["passwd", "group", "hostname", "hosts", "nsswitch.conf"]).
-define(ETC_FROM_HOST, ["alternatives", "ssl/certs", "ssl/openssl.cnf"]).

-type baseline() :: #{root := file:filename(), etc := file:filename(), bpf := file:filename(),
                      floor := file:filename(), bwrap := file:filename()}.
-export_type([baseline/0]).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats} = Ctx) ->
    Starts = bench:env("STARTS", 20),
    Base = baseline(Ctx),
    bench:pools(off),
    check_sandboxes(Base),
    Floor = maps:get(floor, Base),
    Bwrap = maps:get(bwrap, Base),
    Variants =
        [{"process_true_open_port", fun() -> port_run("/bin/true", []) end},
         %% The same program as the baseline's, as an argv: a command string would add sh's exec.
         {"process_true_nook_cold", fun() -> bench:run_ok(["/bin/true"], nook_process, []) end},
         {"rootless_true_floor", fun() -> port_run(Floor, floor_args(Base) ++ ?TRUE) end},
         {"rootless_true_bwrap", fun() -> port_run(Bwrap, bwrap_args(Base) ++ ?TRUE) end},
         {"rootless_true_nook_cold", fun() -> bench:run_ok("true", nook_rootless, []) end}],
    %% One of each first: code loaded, caches warm.
    _ = [F() || {_, F} <- Variants],
    Timed = [{Name, fun() -> bench:median(bench:repeat(Starts, fun() -> bench:elapsed_us(F) end)) end}
             || {Name, F} <- Variants],
    Runs = bench:fold_interleaved(Repeats, Timed, #{}),
    bench:pools(on),
    bench:note("start: cold (pool_size 0), median of ~b runs of ~b starts, interleaved; "
               "nook_process against open_port, both running /bin/true; "
               "rootless: bwrap against the floor, nook against bwrap and the floor",
               [Repeats, Starts]),
    Ms = fun(Name) -> bench:median(maps:get(Name, Runs)) / 1000 end,
    [#{name => "process_true_open_port", value => Ms("process_true_open_port"), unit => "ms"},
     #{name => "process_true_nook_cold", value => Ms("process_true_nook_cold"), unit => "ms",
       baseline => "process_true_open_port"},
     #{name => "rootless_true_floor", value => Ms("rootless_true_floor"), unit => "ms"},
     #{name => "rootless_true_bwrap", value => Ms("rootless_true_bwrap"), unit => "ms",
       baseline => "rootless_true_floor"},
     #{name => "rootless_true_nook_cold", value => Ms("rootless_true_nook_cold"), unit => "ms",
       baseline => "rootless_true_floor"},
     #{name => "rootless_true_nook_cold_vs_bwrap", value => Ms("rootless_true_nook_cold"),
       unit => "ms", baseline => "rootless_true_bwrap"}].

%% @doc What the baselines need, made once per run in the helpers' directory: the container
%% root (the default, its path resolved as nook_root resolves it), the /etc bwrap binds
%% (nook_etc's files, copied from a container), nook's compiled default seccomp profile for
%% the floor, and the two programs.
-spec baseline(map()) -> baseline().
baseline(#{dir := Dir}) ->
    Root0 = nook_rootless:default_root(),
    ok = nook_rootless:make_root(Root0),
    {ok, Root} = nook_root:real_path(Root0, nook_root:uid()),
    Bpf = filename:join(Dir, "seccomp-default.bpf"),
    {ok, Task} = nook:fork(),
    {ok, Filter} = nook_seccomp:compiled(Task, nook_seccomp:default_profile()),
    nook:stop(Task),
    ok = file:write_file(Bpf, Filter),
    #{root => Root, etc => make_etc(filename:join(Dir, "etc")), bpf => Bpf,
      floor => filename:join(filename:absname(Dir), "floor"), bwrap => bwrap()}.

%% A directory to bind onto bwrap's /etc: the files a container's generated /etc has, and
%% the mount points of the host's paths bound into it.
make_etc(Etc) ->
    _ = os:cmd("rm -rf '" ++ Etc ++ "'"),
    ok = filelib:ensure_path(Etc),
    {ok, Events} = nook_stream:run(["tar", "-C", "/etc", "-cf", "-" | ?ETC_FILES], nook_rootless, []),
    {exit_status, 0} = lists:last(Events),
    ok = erl_tar:extract({binary, iolist_to_binary([B || {stdout, B} <- Events])}, [{cwd, Etc}]),
    _ = [case filelib:is_dir(Host) of
             true -> ok = filelib:ensure_path(In);
             false -> ok = filelib:ensure_dir(In), ok = file:write_file(In, <<>>)
         end || P <- ?ETC_FROM_HOST, Host <- ["/etc/" ++ P], filelib:is_file(Host),
                In <- [filename:join(Etc, P)]],
    Etc.

%% @doc bwrap's path; the bench's script installs it when it can.
-spec bwrap() -> string().
bwrap() ->
    case os:find_executable("bwrap") of
        false -> erlang:error({missing, "bwrap: apt-get install bubblewrap"});
        Path -> Path
    end.

%% @doc The floor's arguments before the program: nook's filter and the root.
-spec floor_args(baseline()) -> [string()].
floor_args(#{bpf := Bpf, root := Root}) -> ["-s", Bpf, Root].

%% @doc nook_rootless's sandbox (mount_ops/2, nook_etc, ops/2 with the default config) as
%% bwrap options, step for step. What bwrap cannot match: its /etc is a read-only bind of a
%% directory made once with the same files, not a tmpfs written at each start; it cannot add
%% noexec or noatime to its tmpfs mounts, adds nodev to its binds, sets no rlimits and loads
%% no seccomp filter (it takes one only from an fd, which a port cannot pass); it always sets
%% no_new_privs; it does not check the root's directories.
-spec bwrap_args(baseline()) -> [string()].
bwrap_args(#{root := Root, etc := Etc}) ->
    Env = nook_rootless:environ([]),
    ["--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-net",
     "--unshare-cgroup", "--uid", "65534", "--gid", "65534", "--hostname", "nook",
     "--new-session", "--die-with-parent", "--clearenv"]
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
        ++ ["--ro-bind", Etc, "/etc"]
        ++ lists:append([["--ro-bind", H, H] || P <- ?ETC_FROM_HOST, H <- ["/etc/" ++ P],
                                                filelib:is_file(H)])
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
    after ?PORT_MS ->
            catch port_close(Port),
            erlang:error({Exe, timeout, iolist_to_binary(Acc)})
    end.

%% The three sandboxes must show the same mounts (/proc/self/mountinfo inside each) and the
%% same generated /etc; a difference is named, with why when it is one the bench knows.
check_sandboxes(#{floor := Floor, bwrap := Bwrap} = Base) ->
    Script = "cat /proc/self/mountinfo; echo ==; cat"
             ++ lists:append([" /etc/" ++ F || F <- ?ETC_FILES]),
    Cmd = ["/bin/sh", "-c", Script],
    {ok, Events} = nook_stream:run(Cmd, nook_rootless, []),
    Nook = inside(iolist_to_binary([B || {stdout, B} <- Events])),
    Others = [{"floor", inside(port_run(Floor, floor_args(Base) ++ Cmd))},
              {"bwrap", inside(port_run(Bwrap, bwrap_args(Base) ++ Cmd))}],
    [compare(Name, Nook, Theirs) || {Name, Theirs} <- Others],
    ok.

inside(Out) ->
    [Info, Etc] = string:split(Out, "==\n"),
    {mounts(Info), Etc}.

compare(Name, {Ours, OurEtc}, {Theirs, TheirEtc}) ->
    {O, T} = {by_point(Ours), by_point(Theirs)},
    Points = lists:usort(maps:keys(O) ++ maps:keys(T)),
    Diffs = [D || P <- Points, D <- [diff(P, maps:find(P, O), maps:find(P, T))], D =/= same],
    {Known, Unknown} = lists:partition(fun({P, _}) -> known(Name, P) =/= false end,
                                       [D || {_, What} = D <- Diffs, element(1, What) =/= opts]),
    Opts = [io_lib:format("~s ~s", [P, D]) || {P, {opts, D}} <- Diffs],
    bench:note("sandbox: ~s makes ~s mounts as nook_rootless (~b)~s~s~s",
               [Name, case Unknown of [] -> "the same"; _ -> "OTHER" end, map_size(O),
                [["; DIFFERS: ", lists:join(", ", [describe(D) || D <- Unknown])] || Unknown =/= []],
                [[", but ", describe(D), " (", known(Name, P), ")"] || {P, _} = D <- Known],
                case Opts of
                    [] -> ", with the same options";
                    _ -> "; options differ: " ++ lists:join(", ", Opts)
                end]),
    _ = [bench:note("sandbox: ~s's generated /etc DIFFERS from nook_rootless's", [Name])
         || OurEtc =/= TheirEtc],
    ok.

by_point(Mounts) ->
    maps:from_list([{Point, {{Src, Type}, Opts}} || {{Point, Src, Type}, Opts} <- maps:to_list(Mounts)]).

diff(P, {ok, {What, Ours}}, {ok, {What, Theirs}}) ->
    case opts_diff(Ours, Theirs) of
        "" -> same;
        D -> {P, {opts, D}}
    end;
diff(P, {ok, {Ours, _}}, {ok, {Theirs, _}}) -> {P, {other, Ours, Theirs}};
diff(P, {ok, _}, error) -> {P, {lacks}};
diff(P, error, {ok, _}) -> {P, {adds}}.

describe({P, {other, {_, OurType}, {Src, Type}}}) ->
    io_lib:format("~s is ~s of ~s, not ~s", [P, Type, Src, OurType]);
describe({P, {lacks}}) -> io_lib:format("no ~s", [P]);
describe({P, {adds}}) -> io_lib:format("~s added", [P]).

%% Differences the bench knows, and why they are there.
known("bwrap", "/etc") ->
    "bwrap writes files only from fds, which a port cannot pass: a directory of the same "
    "files, made once, instead of a tmpfs written at each start";
known("bwrap", "/dev/pts") ->
    "bwrap mounts a devpts only with --dev, a /dev of its own making";
known(_, _) ->
    false.

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
