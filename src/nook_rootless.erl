%% SPDX-License-Identifier: ISC
%% @doc A rootless container: new user, mount, PID, UTS, IPC, cgroup and network namespaces,
%% a read-only root of the host's programs, private /tmp and /home, a minimal /dev, bounded
%% in pids, memory, CPU and files, made by an unprivileged user, everything in it killed and
%% reaped at the end.
%%
%% Config: `{net, none | host}' (none: a network namespace with only `lo', up),
%% `{uid, U}' (65534) and `{gid, G}' (= uid) inside; `{hostname, H}' ("nook");
%% `{path, Root}' (the directory to mount onto, see make_root/0,1; it must be the caller's
%% alone, see nook_root); `{fstab, [Dir]}' more read-only binds (relative ones under nook's
%% priv dir), their mount points made in the root; `{limits, #{...}}' (nook_limits; bounded
%% by default); `{seccomp, default | none | Policy}' (default: nook_seccomp:default_profile/0,
%% loaded as the last step before exec); and nook_process's `priority', `rlimit', `setuid',
%% `environ', `landlock' (paths inside the container), `notify', `audit'.
%%
%% Who the container's ids are on the host: the caller's, for a caller that is not root. A
%% root caller's container maps them to `{host_uid, U}' and `{host_gid, G}' (65534, nobody
%% and nogroup), so that what runs inside touches the host's files as nobody does, unless
%% `{host_root, true}' asks for the container's ids to be host root's.
-module(nook_rootless).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/2, onerror/1, onexit/1, environ/1, options/0, signal/1]).
-export([make_root/0, make_root/1, default_root/0, skeleton/1, mount_ops/2, container_ops/3,
         start_container/5]).

%% What the supervisor may do: clone the container's init and end it, nothing else (no fork).
%% A root supervisor also writes its init's id maps (open, write).
-define(SUPERVISOR_CALLS,
        [clone, close, exit, getpid, kill, setcpid, getcpid, sigaction, getuid, getgid,
         stdin_write, eof, cpid]).
%% What the container's init may do: the same, fork the process that execs and give it a
%% terminal.
-define(INIT_CALLS,
        [fork, close, exit, getpid, kill, setcpid, getcpid, sigaction, stdin_write, eof, cpid,
         pty, winsize]).

%% Directories the sequence mounts onto, relative to the root.
-define(SKELETON, ["bin", "sbin", "usr", "lib", "lib64", "tmp", "home", "proc", "dev", "etc"]).
%% Device nodes bound from the host into the container's /dev.
-define(DEVICES, ["null", "zero", "full", "random", "urandom", "tty"]).
%% The container's own pseudo-terminals (pts(4)): a new devpts instance, its ptmx open to
%% all, a terminal its owner's to read and write, no more than 64 at once (the kernel's
%% pool outside the host's reserve, kernel.pty.max less kernel.pty.reserve, is shared by
%% every container). No gid=tty: no tty group is mapped.
-define(DEVPTS, "newinstance,ptmxmode=0666,mode=0620,max=64").
-define(NOBODY, 65534).
-define(ID, {integer, 0, 16#fffffffe}).

%% @doc The options nook_rootless takes: nook_process's common ones, and `net', `hostname',
%% `path', `fstab', `host_root', `host_uid', `host_gid'.
-spec options() -> nook_options:spec().
options() ->
    nook_process:common_options()
        ++ [{net, {oneof, [none, host]}}, {hostname, iodata}, {path, iodata},
            {fstab, {list, iodata}}, {etc, nook_etc:option()}, {host_root, boolean},
            {host_uid, ?ID}, {host_gid, ?ID}].

%% @doc The supervisor task: a port of its own that may only clone the container's init and
%% end it (and, for a root caller, write the init's id maps).
-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(Config) ->
    case nook_process:port() of
        {ok, Supervisor} ->
            Calls = case privileged(Supervisor, Config) of
                        true -> [open, write | ?SUPERVISOR_CALLS];
                        false -> ?SUPERVISOR_CALLS
                    end,
            ok = nook:filter(Supervisor, {allow, Calls}, []),
            {ok, Supervisor};
        {error, _} = Error ->
            Error
    end.

%% A root caller maps the container to an unprivileged host id: the supervisor writes the
%% maps, since only a process with CAP_SETUID on the host may map another id.
privileged(Supervisor, Config) ->
    {CallerUid, _} = ids(Supervisor),
    CallerUid =:= 0 andalso not proplists:get_value(host_root, Config, false).

%% @doc Check the root, make a cgroup, clone the container's init into new namespaces, map
%% its ids, restrict its calls and fork the task that will exec (start_container/5).
-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...], map()} | {error, term()}).
init(Config) ->
    Flags = [clone_newipc, clone_newns, clone_newpid, clone_newuts, clone_newuser
             | case proplists:get_value(net, Config, none) of
                   none -> [clone_newnet];
                   host -> []
               end],
    Uid = proplists:get_value(uid, Config, ?NOBODY),
    Gid = proplists:get_value(gid, Config, Uid),
    fun(Supervisor) ->
            {CallerUid, CallerGid} = ids(Supervisor),
            Privileged = privileged(Supervisor, Config),
            Outer = case Privileged of
                        true -> {proplists:get_value(host_uid, Config, ?NOBODY),
                                 proplists:get_value(host_gid, Config, ?NOBODY)};
                        false -> {CallerUid, CallerGid}
                    end,
            Maps = fun(Init) -> id_maps(Init, Privileged, {Uid, Gid}, Outer) end,
            case start_container(Supervisor, Flags, Config, CallerUid, Maps) of
                {ok, Tasks, Info} ->
                    {ok, Tasks, Info#{drop_ids => Privileged andalso {Uid, Gid}}};
                {error, {clone, Errno}} when Errno =:= eperm; Errno =:= enospc; Errno =:= einval;
                                             Errno =:= eusers; Errno =:= eacces ->
                    {error, {userns_unavailable, why_no_userns(Errno)}};
                {error, _} = Error ->
                    Error
            end
    end.

%% The id maps of the container's init. The init writes its own (its one id, the caller's,
%% needs no privilege); a root supervisor writes them for it (another id does), and leaves
%% setgroups allowed so that the task that execs can drop root's groups.
id_maps(Init, false, {Uid, Gid}, {OuterUid, OuterGid}) ->
    {ok, [{"/proc/self/uid_map", map_line(Uid, OuterUid)},
          {"/proc/self/setgroups", "deny"},
          {"/proc/self/gid_map", map_line(Gid, OuterGid)}], Init};
id_maps(Init, true, {Uid, Gid}, {OuterUid, OuterGid}) ->
    Proc = "/proc/" ++ integer_to_list(nook:pidof(Init)),
    {supervisor, [{Proc ++ "/uid_map", map_line(Uid, OuterUid)},
                  {Proc ++ "/gid_map", map_line(Gid, OuterGid)}]}.

map_line(Inside, Outside) -> io_lib:format("~b ~b 1~n", [Inside, Outside]).

%% @doc The container's first steps, shared with nook_container: the root checked, a cgroup
%% made, the init cloned with Flags and moved into the cgroup, its ids mapped (MapsFun:
%% `{ok, Files, Init}' for files the init writes, `{supervisor, Files}' for files the
%% supervisor writes, `none'), the root bound onto itself and every directory opened and
%% matched with what was checked, a cgroup namespace entered, the init restricted, and the
%% task that execs forked. Info for ops/2: `root', `root_fds', `limits', `cgroup'.
-spec start_container(nook:task(), [atom()], nook_behaviour:config(), non_neg_integer(),
                      fun((nook:task()) -> {ok, list(), nook:task()} | {supervisor, list()} | none)) ->
    {ok, [nook:task(), ...], map()} | {error, term()}.
start_container(Supervisor, Flags, Config, CallerUid, MapsFun) ->
    Dirs = skeleton(Config),
    Limits = nook_limits:resolve(container, Config),
    Prepared = case fstab_sources(Config) of
                   %% the default root made as needed; a root the caller names made (what is
                   %% missing of it) and checked the same way
                   ok -> nook_root:prepare(root(Config), Dirs, CallerUid);
                   {error, _} = Missing -> Missing
               end,
    case Prepared of
        {ok, [{Root, _} | _] = Checked} ->
            case nook_cgroup_keeper:create(Limits, Supervisor) of
                {ok, Cgroup} ->
                    case nook:clone(Supervisor, Flags) of
                        {ok, Init} ->
                            Info = #{root => Root, limits => Limits, cgroup => Cgroup,
                                     userns => lists:member(clone_newuser, Flags)},
                            case enter(Supervisor, Init, Cgroup, MapsFun, Root, Checked) of
                                {ok, Fds} -> fork_task(Init, Info#{root_fds => Fds});
                                {error, _} = Error -> nook:stop(Init), Error
                            end;
                        {error, Errno} ->
                            {error, {clone, Errno}}
                    end;
                {error, _} = Error ->
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

%% Each fstab entry names something to bind: one that is missing says so, before anything
%% is made (a failed bind would name only its mount point).
fstab_sources(Config) ->
    Priv = priv_dir(),
    Missing = [{fstab, unicode:characters_to_list(Source), Why}
               || Dir <- proplists:get_value(fstab, Config, []), Source <- [source(Priv, Dir)],
                  {error, Why} <- [file:read_file_info(Source, [raw, {time, posix}])]],
    case Missing of
        [] -> ok;
        [Error | _] -> {error, Error}
    end.

enter(Supervisor, Init, Cgroup, MapsFun, Root, Checked) ->
    %% Into the cgroup before anything else runs there: all it starts is counted.
    case add_to_cgroup(Cgroup, Init) of
        ok ->
            {InitMaps, SupervisorMaps} = case MapsFun(Init) of
                                             {ok, Files, Init} -> {Files, []};
                                             {supervisor, Files} -> {[], Files};
                                             none -> {[], []}
                                         end,
            case write_files(Supervisor, SupervisorMaps, []) of
                ok -> bind_root(Init, InitMaps, Root, Checked);
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

add_to_cgroup(none, _Init) -> ok;
add_to_cgroup(Cgroup, Init) -> nook_cgroup:add(Cgroup, nook:pidof(Init)).

%% Two round trips to the init: its maps, its own mount tree and the root opened; then,
%% the root found to be the one checked, bound onto itself (through its fd) and the
%% directories inside opened through that mount, and the init restricted.
bind_root(Init, Maps, Root, [{Root, _} = RootChecked | Inside]) ->
    case open_root(Init, Maps, RootChecked) of
        {ok, RootFd} ->
            case open_inside(Init, Root, RootFd, Inside) of
                {ok, Fds} -> {ok, Fds#{Root => RootFd}};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

%% The id maps, a mount tree and a cgroup namespace of the init's own, and the root opened.
open_root(Init, Maps, {Root, _} = RootChecked) ->
    First = [file_ops(Maps),
             %% Nothing mounted here propagates back to the host.
             {mount, ["none", "/", "", [ms_rec, ms_private], ""]},
             {unshare, [clone_newcgroup]},
             nook_root:open_ops([RootChecked])],
    case init_batch(Init, First, Maps) of
        {ok, Results} ->
            case nook_root:verify([RootChecked], lists:nthtail(length(Results) - 2, Results)) of
                {ok, #{Root := RootFd}} -> {ok, RootFd};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

%% The root bound onto itself through its fd (pivot_root needs a mount point), the
%% directories inside opened through that mount, and the init restricted.
open_inside(Init, Root, RootFd, Inside) ->
    At = nook_root:fd_path(RootFd),
    ReadOnly = [ms_remount, ms_bind, ms_rdonly, ms_nosuid],
    %% Read-only, or no start. A user namespace cannot clear the nodev or noexec the root's
    %% filesystem is mounted with (a /tmp often is): tried with both, then each, then
    %% neither, the last that the kernel takes stays, so that the root keeps no more flags
    %% than it must.
    Remounts = [{nook, mount, [Root, Root, "", ReadOnly ++ Flags, ""], [{errexit, false}]}
                || Flags <- [[ms_nodev, ms_noexec], [ms_nodev], [ms_noexec], []]],
    Second = [{nook, mount, [At, At, "", [ms_bind], ""], [{label, Root}]},
              Remounts,
              nook_root:open_ops(Inside),
              {filter, [nook_filter:bitmap({allow, ?INIT_CALLS}), nook_filter:bitmap([])]}],
    case init_batch(Init, Second, []) of
        {ok, [_, {error, _}, {error, _}, {error, _}, {error, Why} | _]} ->
            {error, {mount, Root, Why}};
        {ok, Results} ->
            Opened = 2 + length(Remounts),
            nook_root:verify(Inside, lists:sublist(Results, Opened, 2 * length(Inside)));
        {error, _} = Error ->
            Error
    end.

%% A map file that cannot be written is named as it is; a directory of the root that cannot
%% be opened as checked (a symlink now, say) makes the root unsafe.
init_batch(Init, Ops, Maps) ->
    case nook_op:batch(Init, Ops) of
        {ok, Results} ->
            {ok, Results};
        {error, #{op := {open, [Path | _]}, reason := {error, Errno}}} ->
            case lists:keymember(Path, 1, Maps) of
                true -> {error, {Path, Errno}};
                false -> {error, {unsafe_root, unicode:characters_to_list(Path), {Errno, open}}}
            end;
        {error, Failure} ->
            {error, nook_behaviour:describe(Failure)}
    end.

ids(Supervisor) -> nook_process:port_ids(Supervisor).

fork_task(Init, Info) ->
    case nook:fork(Init) of
        {ok, Task} -> {ok, [Init, Task], Info};
        {error, _} = Error -> nook:stop(Init), Error
    end.

%% Each file opened, written and closed in the task, then the ops After: one round trip for
%% them all.
write_files(_Task, [], []) ->
    ok;
write_files(Task, Files, After) ->
    case nook_op:batch(Task, [file_ops(Files), After]) of
        {ok, _} -> ok;
        {error, #{op := {open, [File | _]}, reason := {error, Reason}}} -> {error, {File, Reason}};
        {error, Failure} -> {error, nook_behaviour:describe(Failure)}
    end.

file_ops(Files) ->
    [[{open, [File, [o_wronly], 0]}, {write, [nook_op:result(1), Data]},
      {close, [nook_op:result(2)]}]
     || {File, Data} <- Files].

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

%% @doc What the task does before exec: a session, the host name, the mounts up to the pivot
%% into the new root, `lo' up, the limits, no new privileges, the seccomp policy last.
-spec ops(nook_behaviour:config(), map()) -> [nook_op:op()].
ops(Config, Info) -> container_ops(Config, Info, false).

%% @doc ops/2, with the ids given up for good ({Uid, Gid}) before no_new_privs: what
%% nook_container's task, root inside and out, does.
-spec container_ops(nook_behaviour:config(), map(), false | {non_neg_integer(), non_neg_integer()}) ->
    [nook_op:op()].
container_ops(Config, Info, Drop) ->
    [{setsid, []},
     {sethostname, [proplists:get_value(hostname, Config, "nook")]},
     mount_ops(Config, Info),
     case proplists:get_value(net, Config, none) of
         none -> lo_up_ops();
         host -> []
     end,
     nook_process:process_ops(Config, Info),
     nook_process:drop_ids(Drop),
     nook_process:final_ops(Config),
     %% Last, after no_new_privs: the filters judge the program, not the setup before it.
     nook_process:policy_ops(Config, default)].

%% @doc The mounts onto the opened directories (Info's `root' and `root_fds', see
%% start_container/5), to the pivot into the new root. A root caller's task gives up root's
%% ids on the way (Info's `drop_ids'), once nothing is left to reach on the host by a path
%% that may cross root-only directories: in the container's user namespace it keeps its
%% capabilities, and what it creates from there on belongs to an id the namespace maps.
-spec mount_ops(nook_behaviour:config(), map()) -> [nook_op:op()].
mount_ops(Config, #{root := Root, root_fds := Fds} = Info) ->
    Priv = priv_dir(),
    Uid = proplists:get_value(uid, Config, ?NOBODY),
    Gid = proplists:get_value(gid, Config, Uid),
    At = fun(Dir) -> nook_root:fd_path(maps:get(in_root(Root, Dir), Fds)) end,
    Mount = fun(Source, Dir, Type, Flags, Data, Opts) ->
                    {nook, mount, [Source, At(Dir), Type, Flags, Data],
                     [{label, in_root(Root, Dir)} | Opts]}
            end,
    ReadOnly = [ms_remount, ms_bind, ms_rdonly, ms_nosuid],
    Scratch = [ms_noexec, ms_nodev, ms_noatime, ms_nosuid],
    Owner = io_lib:format(",uid=~b,gid=~b", [Uid, Gid]),
    %% A remount changes the mount on top of the directory, which the directory's fd (the
    %% directory under it) does not reach: that one goes by the path, now a mount of ours.
    Bind = fun(Source, Dir, Opts) ->
                   [Mount(Source, Dir, "", [ms_bind, ms_rec], "", Opts),
                    {nook, mount, [Source, in_root(Root, Dir), "", ReadOnly, ""], Opts}]
           end,
    [[Bind(Dir, Dir, []) || Dir <- ["/bin", "/sbin", "/usr", "/lib"]],
     [Bind(Dir, Dir, [{errexit, false}]) || Dir <- ["/lib64"]],
     [Bind(source(Priv, Dir), mount_point(Dir), []) || Dir <- proplists:get_value(fstab, Config, [])],
     Mount("tmpfs", "/tmp", "tmpfs", Scratch, ["mode=1777,size=4M", Owner], []),
     Mount("tmpfs", "/home", "tmpfs", Scratch, ["mode=700,size=8M", Owner], []),
     Mount("proc", "/proc", "proc", [ms_noexec, ms_nosuid, ms_nodev], "", []),
     Mount("tmpfs", "/dev", "tmpfs", [ms_nosuid, ms_noexec], ["mode=755,size=64k", Owner], []),
     nook_etc:mount_ops(Config,
                        fun(Source, Type, Flags, Data) -> Mount(Source, "/etc", Type, Flags, Data, []) end,
                        fun(Flags) -> {nook, mount, ["none", in_root(Root, "/etc"), "", Flags, ""], []} end),
     %% The last path from the host: from here on, paths are the root's.
     {chdir, [Root]},
     %% a root caller's task is still root inside (so it could reach the root through
     %% root-only directories): it gives up root's groups and ids for the container's
     nook_process:drop_ids(maps:get(drop_ids, Info, false)),
     %% The terminals made for its program belong to its user, whoever makes them (the
     %% init, which is root for a root caller).
     dev_files(io_lib:format(",uid=~b,gid=~b", [Uid, Gid])),
     nook_etc:file_ops(Config),
     {pivot_root, [".", "."]},
     {umount2, [".", [mnt_detach]]},
     {chdir, ["/"]}].

%% In the new /dev (from the root as the working directory): a file for each device to be
%% bound onto, left open, close-on-exec, so that the whole /dev goes in one batch (a close
%% would need the fd back first); the terminals (PtsOwner: devpts options for their owner);
%% the links into /proc.
dev_files(PtsOwner) ->
    [[[{open, [In, [o_wronly, o_creat, o_cloexec], 8#666]},
       {mount, ["/dev/" ++ Name, In, "", [ms_bind], ""]}]
      || Name <- ?DEVICES, In <- ["dev/" ++ Name]],
     {mkdir, ["dev/pts", 8#755]},
     {mount, ["devpts", "dev/pts", "devpts", [ms_nosuid, ms_noexec], [?DEVPTS, PtsOwner]]},
     [{symlink, [Target, "dev/" ++ Name]}
      || {Target, Name} <- [{"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"},
                            {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
                            {"/proc/self/fd/2", "stderr"}]]].

%% `lo' up in a new network namespace (SIOCSIFFLAGS with IFF_UP on an inet socket), as
%% plain calls to go in the batch with the mounts.
lo_up_ops() ->
    %% struct ifreq: a 16-byte name, then the flags (short) in a 24-byte union.
    Ifreq = <<"lo", 0:(14 * 8), 16#1:16/native, 0:(22 * 8)>>,
    [{socket, [af_inet, sock_dgram, 0]},
     {ioctl, [nook_op:result(1), siocsifflags, Ifreq]},
     {close, [nook_op:result(2)]}].

%% @doc The environment a program starts with in the container: PATH, HOME=/home,
%% TMPDIR=/tmp, LANG=C.UTF-8.
-spec environ(nook_behaviour:config()) -> [string()].
environ(_Config) ->
    ["PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", "HOME=/home",
     "TMPDIR=/tmp", "LANG=C.UTF-8"].

%% @doc Nothing to undo on a failed start: the supervisor's end takes the namespaces with it.
-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(_Config) -> fun(_Tree) -> ok end.

%% @doc Nothing to do at the end before the supervisor (a port of its own) is stopped: it
%% kills the container's init, which ends its PID namespace (the kernel kills everything in
%% it), and reaps it.
-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(_Config) ->
    fun(_Tree) -> ok end.

%% @doc How to signal the whole container: kill(-1) from its init, the first process of the
%% PID namespace, reaches every other one.
-spec signal(nook_behaviour:config()) -> fun((nook_behaviour:tree(), nook:constant()) -> ok | {error, term()}).
signal(_Config) ->
    fun(#{tasks := [Init | _]}, Signal) ->
            try nook:kill(Init, -1, Signal)
            catch
                error:Reason -> {error, Reason};
                exit:_ -> {error, esrch}
            end
    end.

%% @doc The directories a config mounts onto, relative to the root: the skeleton and the
%% `fstab' mount points.
-spec skeleton(nook_behaviour:config()) -> [file:filename()].
skeleton(Config) ->
    ?SKELETON ++ [string:trim(mount_point(D), leading, "/")
                  || D <- proplists:get_value(fstab, Config, [])].

%% @doc Create the directories the sequence mounts onto, under the default root.
-spec make_root() -> ok | {error, term()}.
make_root() -> make_root(default_root()).

%% @doc Create what is missing of the directories the sequence mounts onto under Root, and
%% check that Root is the caller's alone (nook_root): `{error, {unsafe_root, Path, Why}}'
%% otherwise. Starting a container does it too; a user who cannot write nook's priv dir
%% passes `{path, Root}'.
-spec make_root(file:filename()) -> ok | {error, term()}.
make_root(Root) -> nook_root:make(Root, ?SKELETON).

%% @doc The directory a container's root is mounted onto when Config has no `{path, Root}':
%% the application's `default_root' setting, or priv/root in nook's own directory.
-spec default_root() -> file:filename().
default_root() ->
    case application:get_env(nook, default_root) of
        {ok, Root} when is_list(Root); is_binary(Root) -> unicode:characters_to_list(Root);
        _ -> filename:join(priv_dir(), "root")
    end.

root(Config) ->
    unicode:characters_to_list(proplists:get_value(path, Config, default_root())).

priv_dir() ->
    filename:dirname(nook_port:progname()).

in_root(Root, Dir) -> filename:join(Root, string:trim(Dir, leading, "/")).

%% Where an fstab entry goes in the root: its own path, for a relative one under priv too.
mount_point(Dir) ->
    case filename:pathtype(Dir) of
        relative -> "/" ++ unicode:characters_to_list(Dir);
        _ -> unicode:characters_to_list(Dir)
    end.

source(Priv, Dir) ->
    case filename:pathtype(Dir) of
        relative -> filename:join(Priv, Dir);
        _ -> Dir
    end.
