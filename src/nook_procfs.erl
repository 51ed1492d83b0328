%% SPDX-License-Identifier: ISC
%% @doc What /proc says about an OS process (the procfs of proc(5)).
-module(nook_procfs).

-export([alive/1]).

%% @doc True while the process exists and is not a zombie.
-spec alive(non_neg_integer()) -> boolean().
alive(OsPid) ->
    case file:read_file("/proc/" ++ integer_to_list(OsPid) ++ "/stat") of
        {ok, Stat} ->
            %% The state letter follows the last ')': the command name may contain one.
            [_, After] = string:split(Stat, ")", trailing),
            case string:trim(After, leading) of
                <<"Z", _/binary>> -> false;
                <<"X", _/binary>> -> false;
                _ -> true
            end;
        {error, _} ->
            false
    end.
