%% SPDX-License-Identifier: ISC
%% @doc A rootless container: new user, mount, PID, UTS, IPC and network namespaces, a
%% read-only root of the host's programs, private /tmp and /home, a minimal /dev, made by an
%% unprivileged user, everything in it killed and reaped at the end.
%%
%% Config: `{net, none | host}' (none: a network namespace with only `lo', up),
%% `{uid, U}' (65534) and `{gid, G}' (= uid) inside, mapped to the caller's ids;
%% `{hostname, H}' ("nook"); `{path, Root}' (the directory to mount onto, see make_root/0,1);
%% `{fstab, [Dir]}' more read-only binds (relative ones under nook's priv dir);
%% `{seccomp, default | none | Policy}' (default: nook_seccomp:default_profile/0, loaded as
%% the last step before exec); and nook_process's `priority', `rlimit', `setuid', `environ'.
-module(nook_rootless).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/1, onerror/1, onexit/1, environ/1]).
-export([make_root/0, make_root/1, default_root/0, mount_ops/1, dev_ops/1, lo_up/1, touch/2,
         fork_exec_task/1]).

%% What the supervisor may do: clone the container's init and end it, nothing else (no fork).
-define(SUPERVISOR_CALLS,
        [clone, close, exit, getpid, kill, setcpid, getcpid, sigaction, getuid, getgid,
         stdin_write, eof, cpid]).
%% What the container's init may do: the same, and fork the process that execs.
-define(INIT_CALLS,
        [fork, close, exit, getpid, kill, setcpid, getcpid, sigaction, stdin_write, eof, cpid]).

%% Directories the sequence mounts onto, relative to the root.
-define(SKELETON, ["bin", "sbin", "usr", "lib", "lib64", "tmp", "home", "proc", "dev"]).
%% Device nodes bound from the host into the container's /dev.
-define(DEVICES, ["null", "zero", "full", "random", "urandom", "tty"]).

-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(_Config) ->
    case nook:fork() of
        {ok, Supervisor} ->
            ok = nook:filter(Supervisor, {allow, ?SUPERVISOR_CALLS}, []),
            {ok, Supervisor};
        {error, _} = Error ->
            Error
    end.

-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...]} | {error, term()}).
init(Config) ->
    Flags = [clone_newipc, clone_newns, clone_newpid, clone_newuts, clone_newuser
             | case proplists:get_value(net, Config, none) of
                   none -> [clone_newnet];
                   host -> []
               end],
    Uid = proplists:get_value(uid, Config, 65534),
    Gid = proplists:get_value(gid, Config, Uid),
    Root = proplists:get_value(path, Config, default_root()),
    fun(Supervisor) ->
            case made_root(Root) of
                ok -> clone_init(Supervisor, Flags, Uid, Gid);
                {error, Reason} -> {error, {make_root, Root, Reason}}
            end
    end.

clone_init(Supervisor, Flags, Uid, Gid) ->
    {OuterUid, OuterGid} = ids(Supervisor),
    case nook:clone(Supervisor, Flags) of
        {ok, Init} ->
            Maps = [{"/proc/self/uid_map", io_lib:format("~b ~b 1~n", [Uid, OuterUid])},
                    {"/proc/self/setgroups", "deny"},
                    {"/proc/self/gid_map", io_lib:format("~b ~b 1~n", [Gid, OuterGid])}],
            %% The init's calls are restricted in the same round trip.
            Filter = {filter, [nook_filter:bitmap({allow, ?INIT_CALLS}), nook_filter:bitmap([])]},
            case write_files(Init, Maps, [Filter]) of
                ok -> fork_task(Init);
                {error, _} = Error -> nook:stop(Init), Error
            end;
        {error, Errno} when Errno =:= eperm; Errno =:= enospc; Errno =:= einval;
                            Errno =:= eusers; Errno =:= eacces ->
            {error, {userns_unavailable, why_no_userns(Errno)}};
        {error, _} = Error ->
            Error
    end.

%% The supervisor's uid and gid: those of every port this node starts the same way (the
%% `exec' prefix), asked of the first one only.
ids(Supervisor) ->
    Key = {?MODULE, ids, application:get_env(nook, exec, "")},
    case persistent_term:get(Key, undefined) of
        undefined ->
            [{0, Uid}, {0, Gid}] =
                nook:call(Supervisor, batch, [[{nook_calls:id(getuid), {}, stop},
                                               {nook_calls:id(getgid), {}, stop}]]),
            persistent_term:put(Key, {Uid, Gid}),
            {Uid, Gid};
        Ids ->
            Ids
    end.

%% @doc Restrict the container's init to what it does, and fork the task that will exec.
-spec fork_exec_task(nook:task()) -> {ok, [nook:task(), ...]} | {error, term()}.
fork_exec_task(Init) ->
    ok = nook:filter(Init, {allow, ?INIT_CALLS}, []),
    fork_task(Init).

fork_task(Init) ->
    case nook:fork(Init) of
        {ok, Task} -> {ok, [Init, Task]};
        {error, _} = Error -> nook:stop(Init), Error
    end.

%% Each file opened, written and closed in the task, then the ops After: one round trip for
%% them all.
write_files(Task, Files, After) ->
    Ops = [[{open, [File, [o_wronly], 0]}, {write, [nook_op:result(1), Data]},
            {close, [nook_op:result(2)]}]
           || {File, Data} <- Files] ++ After,
    case nook_op:run(Task, Ops) of
        {ok, _} -> ok;
        {error, #{op := Op, reason := {error, Reason}}} -> {error, {file_of(Op, Files), Reason}};
        {error, #{op := Op, reason := Reason}} -> {error, {file_of(Op, Files), Reason}}
    end.

file_of({open, [File | _]}, _Files) -> File;
file_of(Op, Files) -> {Op, [File || {File, _} <- Files]}.

%% Why the kernel refused a user namespace, as far as it says.
why_no_userns(Errno) ->
    Checks = [{"/proc/sys/kernel/unprivileged_userns_clone", <<"0">>,
               {sysctl, "kernel.unprivileged_userns_clone", 0}},
              {"/proc/sys/user/max_user_namespaces", <<"0">>,
               {sysctl, "user.max_user_namespaces", 0}},
              {"/proc/sys/kernel/apparmor_restrict_unprivileged_userns", <<"1">>,
               {apparmor, "kernel.apparmor_restrict_unprivileged_userns", 1}}],
    Found = [Why || {File, Bad, Why} <- Checks,
                    {ok, Value} <- [file:read_file(File)], string:trim(Value) =:= Bad],
    case Found of
        [] -> {clone, Errno};
        [Why | _] -> Why
    end.

-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) ->
    [{setsid, []},
     {sethostname, [proplists:get_value(hostname, Config, "nook")]},
     mount_ops(Config),
     case proplists:get_value(net, Config, none) of
         none -> lo_up_ops();
         host -> []
     end,
     nook_process:process_ops(Config),
     %% Last, after no_new_privs: the filter judges the program, not the setup before it.
     nook_seccomp:ops(Config, default)].

%% @doc The mounts, from a private copy of the host's tree to the pivot into the new root.
-spec mount_ops(nook_behaviour:config()) -> [nook_op:op()].
mount_ops(Config) ->
    Root = proplists:get_value(path, Config, default_root()),
    Priv = priv_dir(),
    ReadOnly = [ms_remount, ms_bind, ms_rdonly, ms_nosuid],
    Scratch = [ms_noexec, ms_nodev, ms_noatime, ms_nosuid],
    Bind = fun(Source, Target, Opts) ->
                   [{nook, mount, [Source, Target, "", [ms_bind, ms_rec], ""], Opts},
                    {nook, mount, [Source, Target, "", ReadOnly, ""], Opts}]
           end,
    [%% Nothing mounted here propagates back to the host.
     {mount, ["none", "/", "", [ms_rec, ms_private], ""]},
     %% pivot_root needs the new root to be a mount point.
     {mount, [Root, Root, "", [ms_bind], ""]},
     {nook, mount, [Root, Root, "", ReadOnly, ""], [{errexit, false}]},
     [Bind(Dir, in_root(Root, Dir), []) || Dir <- ["/bin", "/sbin", "/usr", "/lib"]],
     [Bind(Dir, in_root(Root, Dir), [{errexit, false}]) || Dir <- ["/lib64"]],
     [Bind(source(Priv, Dir), in_root(Root, Dir), [{errexit, false}])
      || Dir <- proplists:get_value(fstab, Config, [])],
     {mount, ["tmpfs", in_root(Root, "/tmp"), "tmpfs", Scratch, "mode=1777,size=4M"]},
     {mount, ["tmpfs", in_root(Root, "/home"), "tmpfs", Scratch, "mode=700,size=8M"]},
     {mount, ["proc", in_root(Root, "/proc"), "proc", [ms_noexec, ms_nosuid, ms_nodev], ""]},
     dev_ops(Root),
     {chdir, [Root]},
     {pivot_root, [".", "."]},
     {umount2, [".", [mnt_detach]]},
     {chdir, ["/"]}].

%% @doc A /dev of its own: a small tmpfs with the harmless devices bound from the host (a
%% user namespace may not make device nodes) and the usual links into /proc.
-spec dev_ops(file:filename()) -> [nook_op:op()].
dev_ops(Root) ->
    Dev = in_root(Root, "/dev"),
    [{mount, ["tmpfs", Dev, "tmpfs", [ms_nosuid, ms_noexec], "mode=755,size=64k"]},
     %% The file a device is bound onto: left open, close-on-exec, so that the whole /dev goes
     %% in one batch (a close would need the fd back first).
     [[{open, [filename:join(Dev, Name), [o_wronly, o_creat, o_cloexec], 8#666]},
       {mount, [filename:join("/dev", Name), filename:join(Dev, Name), "", [ms_bind], ""]}]
      || Name <- ?DEVICES],
     [{symlink, [Target, filename:join(Dev, Name)]}
      || {Target, Name} <- [{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                            {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"}]]].

%% @doc Create an empty file to mount a device onto.
-spec touch(nook:task(), file:filename()) -> ok | {error, nook:posix()}.
touch(Task, Path) ->
    case nook:open(Task, Path, [o_wronly, o_creat, o_cloexec], 8#666) of
        {ok, FD} -> nook:close(Task, FD);
        {error, _} = Error -> Error
    end.

%% @doc Bring `lo' up in a new network namespace: SIOCSIFFLAGS with IFF_UP on an inet socket.
-spec lo_up(nook:task()) -> ok | {error, term()}.
lo_up(Task) ->
    case nook_op:run(Task, lo_up_ops()) of
        {ok, _} -> ok;
        {error, #{reason := Reason}} -> Reason
    end.

%% The same as plain calls, to go in the batch with the mounts.
lo_up_ops() ->
    %% struct ifreq: a 16-byte name, then the flags (short) in a 24-byte union.
    Ifreq = <<"lo", 0:(14 * 8), 16#1:16/native, 0:(22 * 8)>>,
    [{socket, [af_inet, sock_dgram, 0]},
     {ioctl, [nook_op:result(1), siocsifflags, Ifreq]},
     {close, [nook_op:result(2)]}].

-spec environ(nook_behaviour:config()) -> [string()].
environ(_Config) ->
    ["PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", "HOME=/home",
     "TMPDIR=/tmp", "LANG=C.UTF-8"].

-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(_Config) -> fun(_Tree) -> ok end.

%% Nothing before the supervisor (a port of its own) is stopped: it kills the container's
%% init, which ends its PID namespace (the kernel kills everything in it), and reaps it.
-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(_Config) ->
    fun(_Tree) -> ok end.

%% make_root/1 once per root and node: its ten directory calls go through the BEAM's file
%% server, a cost on every start otherwise. A root removed later shows as a failed mount.
made_root(Root) ->
    Key = {?MODULE, made_root, Root},
    case persistent_term:get(Key, false) of
        true ->
            ok;
        false ->
            case make_root(Root) of
                ok -> persistent_term:put(Key, true);
                {error, _} = Error -> Error
            end
    end.

%% @doc Create the directories the sequence mounts onto, under the default root.
-spec make_root() -> ok | {error, term()}.
make_root() -> make_root(default_root()).

%% @doc Create (idempotently) the directories the sequence mounts onto under Root. Starting a
%% container does it too; a user who cannot write nook's priv dir passes `{path, Root}'.
-spec make_root(file:filename()) -> ok | {error, term()}.
make_root(Root) ->
    Dirs = [Root | [filename:join(Root, D) || D <- ?SKELETON]],
    Made = [{D, ensure_dir(D)} || D <- Dirs],
    case [{D, E} || {D, {error, E}} <- Made] of
        [] -> ok;
        [Failed | _] -> {error, Failed}
    end.

ensure_dir(Dir) ->
    case file:make_dir(Dir) of
        ok -> file:change_mode(Dir, 8#755);
        {error, eexist} -> ok;
        {error, _} = Error -> Error
    end.

-spec default_root() -> file:filename().
default_root() -> filename:join(priv_dir(), "root").

priv_dir() ->
    filename:dirname(nook_port:progname()).

in_root(Root, Dir) -> filename:join(Root, string:trim(Dir, leading, "/")).

source(Priv, Dir) ->
    case filename:pathtype(Dir) of
        relative -> filename:join(Priv, Dir);
        _ -> Dir
    end.
