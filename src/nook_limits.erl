%% SPDX-License-Identifier: ISC
%% @doc Resource limits: what a program may use of the host, as rlimits (always) and a cgroup
%% of its own (where one can be made).
%%
%% `{limits, #{Limit => Value}}' in nook_rootless, nook_container and nook_process, merged over
%% the defaults (the app env `limits' replaces the built-in ones); `infinity' turns one off:
%% <ul>
%% <li>`pids': processes and threads at once: RLIMIT_NPROC (counted per user namespace) and
%% the cgroup's `pids.max'.</li>
%% <li>`memory': bytes: the cgroup's `memory.max' (v2) or `memory.limit_in_bytes' (v1); where
%% no memory cgroup can be made, RLIMIT_DATA per process instead (it counts the heap and
%% private writable mappings, not reservations of address space, so the JVM, Go and the
%% BEAM still start; RLIMIT_AS would refuse them).</li>
%% <li>`cpu': CPUs' worth of time per period, a float (`1.0' is one CPU): the cgroup's
%% `cpu.max' or `cpu.cfs_quota_us'. No rlimit can bound a rate.</li>
%% <li>`cpu_time': seconds of CPU in all, RLIMIT_CPU (SIGXCPU, then SIGKILL a second later).</li>
%% <li>`fsize': bytes in one file, RLIMIT_FSIZE.</li>
%% <li>`nofile': open files per process, RLIMIT_NOFILE.</li>
%% <li>`core': core dump size, RLIMIT_CORE.</li>
%% </ul>
-module(nook_limits).

-export([defaults/1, spec/0, resolve/2, rlimit_ops/3, available/0]).

-export_type([limits/0]).

-type limit() :: pids | memory | cpu | cpu_time | fsize | nofile | core.
-type limits() :: #{limit() => number() | infinity}.

%% @doc The limits a behaviour applies when the caller names none: containers are bounded,
%% a plain process gets only `core' 0 (it is a process like any other of the caller's, and
%% RLIMIT_NPROC there would count all of them).
-spec defaults(container | process) -> limits().
defaults(Kind) ->
    case application:get_env(nook, limits) of
        {ok, #{} = Limits} -> maps:merge(builtin(Kind), Limits);
        _ -> builtin(Kind)
    end.

%% Reasons for each value are in the README's limits table.
builtin(container) ->
    #{pids => 1024,                 % make -j, pipelines, a JVM's threads; a fork bomb stops
      memory => 1024 * 1024 * 1024, % a compiler or a test suite; a hog stops well short
      cpu => 1.0,                   % one CPU: the host keeps the others
      cpu_time => infinity,         % a long job is not a runaway one
      fsize => 1024 * 1024 * 1024,  % writable places are small tmpfs mounts anyway
      nofile => 1024,               % the usual soft limit; bounds kernel memory per process
      core => 0};                   % no dumps of a stranger's memory
builtin(process) ->
    #{core => 0}.

%% @doc The type of the `limits' option.
-spec spec() -> nook_options:type().
spec() ->
    Count = {integer, 1, infinity},
    Bytes = {integer, 0, infinity},
    {map, [{pids, Count}, {memory, {integer, 1024 * 1024, infinity}},
           {cpu, fun(infinity) -> true; (F) -> is_number(F) andalso F >= 0.01 andalso F =< 1024 end},
           {cpu_time, Count}, {fsize, Bytes}, {nofile, {integer, 16, infinity}},
           {core, Bytes}]}.

%% @doc The limits for a config: the defaults of Kind with the `limits' option over them.
-spec resolve(container | process, nook_behaviour:config()) -> limits().
resolve(Kind, Config) ->
    maps:merge(defaults(Kind), proplists:get_value(limits, Config, #{})).

%% @doc The setrlimit ops for Limits; `memory' becomes RLIMIT_DATA only when Cgroup does not
%% enforce it. `pids' is RLIMIT_NPROC in a user namespace of the tree's own (Userns), where
%% it counts the tree's processes; outside one it counts every process of the uid on the
%% host, and is used only when no pids cgroup bounds the tree.
-spec rlimit_ops(limits(), nook_cgroup:cgroup() | none, boolean()) -> [nook_op:op()].
rlimit_ops(Limits, Cgroup, Userns) ->
    Data = [rlimit_data || data_rlimit(), not nook_cgroup:enforces(Cgroup, memory)],
    Nproc = [rlimit_nproc || Userns orelse not nook_cgroup:enforces(Cgroup, pids)],
    setrlimits(Limits, Nproc ++ [rlimit_cpu, rlimit_fsize, rlimit_nofile, rlimit_core | Data]).

%% The AddressSanitizer build of priv/nook (make test-asan) cannot run under RLIMIT_DATA: its
%% shadow memory counts as data, and its next allocation would be refused. With it, memory is
%% bounded by a cgroup or not at all (available/0 says so).
data_rlimit() ->
    not lists:suffix("-asan", nook_port:progname()).

setrlimits(Limits, Resources) ->
    [{setrlimit, [Resource, rlimit(Resource, V)]}
     || Resource <- Resources, V <- [maps:get(key(Resource), Limits, infinity)], V =/= infinity].

%% CPU time: SIGXCPU at the limit, which a program may catch to finish up, and SIGKILL a
%% second later.
rlimit(rlimit_cpu, Seconds) -> #{cur => Seconds, max => Seconds + 1};
rlimit(_, V) -> #{cur => V, max => V}.

key(rlimit_nproc) -> pids;
key(rlimit_cpu) -> cpu_time;
key(rlimit_fsize) -> fsize;
key(rlimit_nofile) -> nofile;
key(rlimit_core) -> core;
key(rlimit_data) -> memory.

%% @doc Which limits this node enforces, and how: a list of mechanisms per limit, and for
%% each cgroup controller that cannot be used here, why not.
-spec available() -> #{limit() => [atom() | {atom(), term()}],
                       cgroup => #{atom() => {ok, file:filename()} | {error, term()}}}.
available() ->
    Cgroup = nook_cgroup:controllers(),
    By = fun(Controller) ->
                 case maps:get(Controller, Cgroup) of
                     {ok, Dir} -> [{cgroup, Dir}];
                     {error, _} -> []
                 end
         end,
    #{pids => [rlimit_nproc | By(pids)],
      memory => case {By(memory), data_rlimit()} of
                    {[], true} -> [rlimit_data];
                    {Cg, _} -> Cg
                end,
      cpu => By(cpu),
      cpu_time => [rlimit_cpu],
      fsize => [rlimit_fsize],
      nofile => [rlimit_nofile],
      core => [rlimit_core],
      cgroup => Cgroup}.
