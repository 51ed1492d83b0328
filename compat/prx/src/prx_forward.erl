%% SPDX-License-Identifier: ISC
%% @doc The parse transform that writes the modules of this application from nook's exports.
%%
%% `-prx_forward({module, M}).' gives the module every function M exports (module_info
%% aside), each calling the function of the same name in M, and every type M exports.
%% `-prx_forward({functions, [{Name, Arity, Mod, Fun}]}).' gives it Name/Arity calling
%% Mod:Fun. Either way a function takes the spec of the one it calls, its types named
%% remotely, when every type the spec names is exported.
-module(prx_forward).

-export([parse_transform/2, format_error/1]).

-type form() :: erl_parse:abstract_form().

-spec parse_transform([form()], list()) -> [form()] | {error, list(), list()}.
parse_transform(Forms, _Options) ->
    case [{Anno, What} || {attribute, Anno, prx_forward, What} <- Forms] of
        [] ->
            Forms;
        Directives ->
            try lists:unzip([generate(Anno, What) || {Anno, What} <- Directives]) of
                {Attributes, Functions} ->
                    insert(Forms, lists:append(Attributes), lists:append(Functions))
            catch
                throw:{Anno, Reason} ->
                    {error, [{source(Forms), [{Anno, ?MODULE, Reason}]}], []}
            end
    end.

-spec format_error(term()) -> string().
format_error({not_loadable, Mod}) ->
    io_lib:format("module ~s is not on the code path: build nook before prx (a dependency "
                  "of it)", [Mod]);
format_error({no_abstract_code, Mod}) ->
    io_lib:format("module ~s was compiled without debug_info: its types cannot be read",
                  [Mod]);
format_error({not_exported, {Mod, Fun, Arity}}) ->
    io_lib:format("~s:~s/~b is not exported", [Mod, Fun, Arity]);
format_error(Other) ->
    io_lib:format("bad -prx_forward: ~p", [Other]).

%% {Attributes, Functions} for one directive.
generate(Anno, {module, Mod}) when is_atom(Mod) ->
    Exports = [{F, A} || {F, A} <- exports(Anno, Mod), F =/= module_info],
    Source = abstract_code(Anno, Mod),
    Types = lists:append([Ts || {attribute, _, export_type, Ts} <- Source]),
    TypeForms = [{attribute, Anno, type, {T, {remote_type, Anno, [{atom, Anno, Mod}, {atom, Anno, T},
                                                                  type_vars(Anno, N)]},
                                          type_vars(Anno, N)}}
                 || {T, N} <- Types],
    Calls = [{F, A, Mod, F} || {F, A} <- Exports],
    {[{attribute, Anno, export, Exports}, {attribute, Anno, export_type, Types}
      | TypeForms] ++ specs(Anno, Calls),
     [function(Anno, Call) || Call <- Calls]};
generate(Anno, {functions, Calls}) when is_list(Calls) ->
    [lists:member({F, A}, exports(Anno, Mod)) orelse throw({Anno, {not_exported, {Mod, F, A}}})
     || {_, A, Mod, F} <- Calls],
    {[{attribute, Anno, export, [{Name, A} || {Name, A, _, _} <- Calls]} | specs(Anno, Calls)],
     [function(Anno, Call) || Call <- Calls]};
generate(Anno, Other) ->
    throw({Anno, Other}).

exports(Anno, Mod) ->
    case code:ensure_loaded(Mod) of
        {module, Mod} -> Mod:module_info(exports);
        {error, _} -> throw({Anno, {not_loadable, Mod}})
    end.

abstract_code(Anno, Mod) ->
    case beam_lib:chunks(code:which(Mod), [abstract_code]) of
        {ok, {Mod, [{abstract_code, {_, Forms}}]}} -> Forms;
        _ -> throw({Anno, {no_abstract_code, Mod}})
    end.

type_vars(Anno, N) -> [{var, Anno, list_to_atom("T" ++ integer_to_list(I))} || I <- lists:seq(1, N)].

%% Name(A1, ..., An) -> Mod:Fun(A1, ..., An).
function(Anno, {Name, Arity, Mod, Fun}) ->
    Args = [{var, Anno, list_to_atom("A" ++ integer_to_list(I))} || I <- lists:seq(1, Arity)],
    {function, Anno, Name, Arity,
     [{clause, Anno, Args, [], [{call, Anno, {remote, Anno, {atom, Anno, Mod}, {atom, Anno, Fun}}, Args}]}]}.

%% The specs of the functions called, for the names that call them.
specs(Anno, Calls) ->
    Mods = lists:usort([Mod || {_, _, Mod, _} <- Calls]),
    Source = maps:from_list([{Mod, abstract_code(Anno, Mod)} || Mod <- Mods]),
    lists:append([spec(Anno, Call, maps:get(Mod, Source)) || {_, _, Mod, _} = Call <- Calls]).

spec(Anno, {Name, Arity, Mod, Fun}, Source) ->
    Exported = lists:append([Ts || {attribute, _, export_type, Ts} <- Source]),
    case [Clauses || {attribute, _, spec, {{F, A}, Clauses}} <- Source, F =:= Fun, A =:= Arity] of
        [Clauses] ->
            try [remote_types(Mod, Exported, erl_parse:map_anno(fun(_) -> Anno end, C))
                 || C <- Clauses] of
                Remote -> [{attribute, Anno, spec, {{Name, Arity}, Remote}}]
            catch
                throw:local_type -> []
            end;
        [] ->
            []
    end.

%% The type's names as seen from another module; a type Mod keeps to itself cannot be.
remote_types(Mod, Exported, {user_type, Anno, T, Args}) ->
    lists:member({T, length(Args)}, Exported) orelse throw(local_type),
    {remote_type, Anno, [{atom, Anno, Mod}, {atom, Anno, T},
                         [remote_types(Mod, Exported, A) || A <- Args]]};
remote_types(Mod, Exported, Tuple) when is_tuple(Tuple) ->
    list_to_tuple([remote_types(Mod, Exported, E) || E <- tuple_to_list(Tuple)]);
remote_types(Mod, Exported, List) when is_list(List) ->
    [remote_types(Mod, Exported, E) || E <- List];
remote_types(_Mod, _Exported, Other) ->
    Other.

%% Attributes go before the first function, functions before the end of the file.
insert(Forms, Attributes, Functions) ->
    {Head, Tail} = lists:splitwith(fun(F) -> element(1, F) =/= function andalso element(1, F) =/= eof end,
                                   Forms),
    {Defined, [Eof]} = lists:split(length(Tail) - 1, Tail),
    Head ++ Attributes ++ Defined ++ Functions ++ [Eof].

source(Forms) ->
    case [File || {attribute, _, file, {File, _}} <- Forms] of
        [File | _] -> File;
        [] -> "nofile"
    end.
